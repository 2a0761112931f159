package org.flamenco.worker.model;

import java.util.Objects;

/**
 * A task as handed out by {@code POST /task} (protocol-v2.md §4.5).
 *
 * @param id       24-hex task id, already validated by the Manager client
 * @param commands the decoded JSON value of {@code commands}: normally a {@code List} of {@code Map}s, but kept
 *                 as-is (possibly {@code null} when absent) so the task runner can fail a malformed task with a
 *                 clear message instead of the client rejecting it. JSON values map to {@code String},
 *                 {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double}, {@code Boolean}, {@code List},
 *                 {@code Map} and {@code null}.
 */
public record Task(String id, String name, String job, String jobType, String taskType, Object commands) {
    public Task {
        Objects.requireNonNull(id, "id");
        name = Objects.requireNonNullElse(name, "");
        job = Objects.requireNonNullElse(job, "");
        jobType = Objects.requireNonNullElse(jobType, "");
        taskType = Objects.requireNonNullElse(taskType, "");
    }
}
