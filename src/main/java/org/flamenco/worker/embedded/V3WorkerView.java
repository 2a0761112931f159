package org.flamenco.worker.embedded;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one worker record of the {@link EmbeddedV3Manager}.
 *
 * @param status          Manager-side status ({@code starting} after sign-on, then what the worker reported with
 *                        {@code state-changed}, {@code offline} after sign-off)
 * @param statusRequested pending state change, or {@code ""}
 * @param lazy            whether the pending request waits for the current task to end
 * @param canRestart      the {@code can_restart} of the last sign-on
 * @param softwareVersion the {@code software_version} of the last sign-on
 * @param lastSeen        when an authenticated call last marked it seen, or {@code null} if never
 */
public record V3WorkerView(String id, String name, String platform, List<String> supportedTaskTypes, String status,
                           String statusRequested, boolean lazy, boolean canRestart, String softwareVersion,
                           Instant lastSeen) {
    public V3WorkerView {
        Objects.requireNonNull(id, "id");
        supportedTaskTypes = List.copyOf(supportedTaskTypes);
    }
}
