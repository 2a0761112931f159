package org.flamenco.worker.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the outbox needs from the configuration (worker-behaviour.md §2.3, §12, §13).
 *
 * @param dbFile             {@code task_update_queue_db}
 * @param pushActMaxInterval {@code push_act_max_interval_seconds}
 * @param pushLogMaxInterval {@code push_log_max_interval_seconds}
 * @param pushLogMaxEntries  {@code push_log_max_entries}
 * @param taskLogMaxBytes    {@code task_log_max_bytes}; 0 disables the cap
 */
public record OutboxSettings(Path dbFile, Duration pushActMaxInterval, Duration pushLogMaxInterval,
                             int pushLogMaxEntries, long taskLogMaxBytes) {
    public OutboxSettings {
        Objects.requireNonNull(dbFile, "dbFile");
        Objects.requireNonNull(pushActMaxInterval, "pushActMaxInterval");
        Objects.requireNonNull(pushLogMaxInterval, "pushLogMaxInterval");
        if (pushLogMaxEntries < 1) {
            throw new IllegalArgumentException("pushLogMaxEntries must be >= 1, got " + pushLogMaxEntries);
        }
        if (taskLogMaxBytes < 0) {
            throw new IllegalArgumentException("taskLogMaxBytes must be >= 0, got " + taskLogMaxBytes);
        }
    }
}
