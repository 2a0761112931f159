package org.flamenco.worker.model;

import java.util.Objects;

/**
 * A task as handed out by {@code POST /task} (protocol-v2.md §4.5).
 *
 * @param id       24-hex task id, already validated by the Manager client
 * @param commands its {@code commands}, decoded at the wire; a malformed list is kept with its problem so the task
 *                 runner can fail the task with a clear message instead of the client rejecting the reply
 */
public record Task(String id, String name, String job, String jobType, String taskType, TaskCommands commands) {
    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(commands, "commands");
        name = Objects.requireNonNullElse(name, "");
        job = Objects.requireNonNullElse(job, "");
        jobType = Objects.requireNonNullElse(jobType, "");
        taskType = Objects.requireNonNullElse(taskType, "");
    }
}
