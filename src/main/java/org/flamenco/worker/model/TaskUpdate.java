package org.flamenco.worker.model;

import java.util.Objects;

/**
 * One {@code POST /tasks/{id}/update} request (protocol-v2.md §4.6).
 *
 * @param taskId   the task the update belongs to: the URL is built from this, never from "the current task"
 * @param snapshot the activity snapshot, or {@code null} for a log-only update (silently aborting task)
 * @param logText  log lines joined with {@code \n} (each already prefixed with its timestamp), or {@code null}
 */
public record TaskUpdate(String taskId, ActivitySnapshot snapshot, LogText logText) {
    public TaskUpdate {
        Objects.requireNonNull(taskId, "taskId");
        if (snapshot == null && logText == null) {
            throw new IllegalArgumentException("a task update needs a snapshot or log text");
        }
    }

    /** An update whose log text is given as a string ({@code null} for none). */
    public static TaskUpdate of(String taskId, ActivitySnapshot snapshot, String log) {
        return new TaskUpdate(taskId, snapshot, log == null ? null : LogText.of(log));
    }

    /** The log text as a string, or {@code null}. */
    public String log() {
        return logText == null ? null : logText.text();
    }
}
