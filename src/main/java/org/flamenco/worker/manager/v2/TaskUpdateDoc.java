package org.flamenco.worker.manager.v2;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.LogText;
import org.flamenco.worker.model.TaskUpdate;

/**
 * {@code TaskUpdate} exactly as the Manager decodes it (protocol-v2.md §4.6): the three progress fields are Java
 * {@code Integer}s so they are written as JSON integer literals (the Manager rejects {@code 12.0} with 400), absent
 * fields are omitted, and the Manager-owned fields ({@code _id}, {@code task_id}, {@code worker}, {@code log_tail},
 * {@code received_on_manager}, {@code failed_by_workers}) do not exist here at all.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"task_status", "activity", "current_command_idx", "task_progress_percentage",
        "command_progress_percentage", "metrics", "log"})
record TaskUpdateDoc(
        @JsonProperty("task_status") String taskStatus,
        @JsonProperty("activity") String activity,
        @JsonProperty("current_command_idx") Integer currentCommandIdx,
        @JsonProperty("task_progress_percentage") Integer taskProgressPercentage,
        @JsonProperty("command_progress_percentage") Integer commandProgressPercentage,
        @JsonProperty("metrics") Metrics metrics,
        @JsonProperty("log") @JsonSerialize(using = LogTextSerializer.class) LogText log) {

    /** {@code {"timing": {<name>: <seconds>}}}. */
    record Metrics(@JsonProperty("timing") Map<String, Double> timing) {
    }

    /** The wire form of an update: the full snapshot plus log, or {@code {"log": ...}} only when silent. */
    static TaskUpdateDoc of(TaskUpdate update) {
        LogText log = update.logText() == null || update.logText().isEmpty() ? null : update.logText();
        ActivitySnapshot s = update.snapshot();
        if (s == null) {
            return new TaskUpdateDoc(null, null, null, null, null, null, log);
        }
        return new TaskUpdateDoc(
                s.taskStatus() == null ? null : s.taskStatus().wire(),
                s.activity(),
                s.currentCommandIdx(),
                s.taskProgressPercentage(),
                s.commandProgressPercentage(),
                s.timing().isEmpty() ? null : new Metrics(s.timing()),
                log);
    }
}
