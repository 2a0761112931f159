package org.flamenco.worker.embedded;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one worker record of the {@link EmbeddedManager}.
 *
 * @param status            Manager-side status ({@code starting}, {@code awake}, {@code asleep}, {@code offline},
 *                          {@code timeout}, or whatever the worker acked)
 * @param statusRequested   pending status request, or {@code ""}
 * @param lazyStatusRequest whether the pending request waits for the current task to end
 * @param currentTask       task id the worker was last handed, or {@code ""}
 * @param software          the last {@code User-Agent} seen
 * @param lastSeen          when an authenticated call last marked it seen, or {@code null} if never
 */
public record WorkerView(String id, String nickname, String platform, List<String> supportedTaskTypes,
                         String status, String statusRequested, boolean lazyStatusRequest, String currentTask,
                         String software, Instant lastSeen, String secretForTests) {
    public WorkerView {
        Objects.requireNonNull(id, "id");
        supportedTaskTypes = List.copyOf(supportedTaskTypes);
    }

    @Override
    public String toString() {
        return "WorkerView[id=" + id + ", nickname=" + nickname + ", status=" + status + ", statusRequested="
                + statusRequested + ", lazy=" + lazyStatusRequest + ", currentTask=" + currentTask + ", secret=***]";
    }
}
