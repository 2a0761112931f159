package org.flamenco.worker.manager.v3;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import org.flamenco.worker.manager.v2.LogTextSerializer;
import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.LogText;
import org.flamenco.worker.model.TaskUpdate;

/**
 * The request documents of the Flamenco 3 worker API exactly as the Manager's OpenAPI schema names them
 * (protocol-v3.md §3). No field is ever written as {@code null}: the Manager answers 400 to a {@code null} for an
 * optional key, so absent values are omitted. Key spelling is mixed on purpose ({@code taskStatus} next to
 * {@code steps_completed}): the Manager silently ignores a misspelt key, so these names are pinned by tests.
 */
final class V3Requests {
    private V3Requests() {
    }

    /** {@code WorkerRegistration}: all four keys required. */
    @JsonPropertyOrder({"secret", "platform", "supported_task_types", "name"})
    record Register(@JsonProperty("secret") String secret,
                    @JsonProperty("platform") String platform,
                    @JsonProperty("supported_task_types") List<String> supportedTaskTypes,
                    @JsonProperty("name") String name) {
    }

    /** {@code WorkerSignOn}; {@code can_restart} is always sent (as a boolean, never null). */
    @JsonPropertyOrder({"name", "supported_task_types", "software_version", "can_restart"})
    record SignOn(@JsonProperty("name") String name,
                  @JsonProperty("supported_task_types") List<String> supportedTaskTypes,
                  @JsonProperty("software_version") String softwareVersion,
                  @JsonProperty("can_restart") boolean canRestart) {
    }

    /** {@code WorkerStateChanged}. */
    record StateChanged(@JsonProperty("status") String status) {
    }

    /**
     * {@code TaskUpdate}: every key optional, an omitted key leaves the Manager's value as it is.
     * {@code steps_completed} is a JSON integer.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"taskStatus", "activity", "steps_completed", "log"})
    record Update(@JsonProperty("taskStatus") String taskStatus,
                  @JsonProperty("activity") String activity,
                  @JsonProperty("steps_completed") Integer stepsCompleted,
                  @JsonProperty("log") @JsonSerialize(using = LogTextSerializer.class) LogText log) {

        /**
         * The wire form of a queued update. {@code sendStatus} false leaves {@code taskStatus} out (it was already
         * delivered for this task: a repeated {@code active} would only make the Manager re-run its status logic).
         * A log-only update ({@code snapshot == null}) sends only {@code log}.
         */
        static Update of(TaskUpdate update, boolean sendStatus) {
            LogText log = update.logText() == null || update.logText().isEmpty() ? null : update.logText();
            ActivitySnapshot s = update.snapshot();
            if (s == null) {
                return new Update(null, null, null, log);
            }
            String status = sendStatus && s.taskStatus() != null ? s.taskStatus().wire() : null;
            String activity = s.activity().isEmpty() ? null : s.activity();
            // absolute running count; 0 (nothing done yet) is left out so a re-run does not look like a regression
            Integer steps = s.stepsCompleted() > 0 ? s.stepsCompleted() : null;
            return new Update(status, activity, steps, log);
        }

        boolean isEmpty() {
            return taskStatus == null && activity == null && stepsCompleted == null && log == null;
        }
    }
}
