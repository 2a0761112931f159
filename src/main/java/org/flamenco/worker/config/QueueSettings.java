package org.flamenco.worker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The update queue and how updates are pushed from it (worker-behaviour.md §6): the {@code task_update_queue_db},
 * {@code push_*} and {@code task_log_max_bytes} keys.
 *
 * @param db                 {@code task_update_queue_db}
 * @param pushActMaxInterval {@code push_act_max_interval_seconds}
 * @param pushLogMaxInterval {@code push_log_max_interval_seconds}
 * @param pushLogMaxEntries  {@code push_log_max_entries}, at least 1
 * @param taskLogMaxBytes    {@code task_log_max_bytes}; 0 disables the cap
 */
public record QueueSettings(Path db, Duration pushActMaxInterval, Duration pushLogMaxInterval, int pushLogMaxEntries,
                            long taskLogMaxBytes) {
    public QueueSettings {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(pushActMaxInterval, "pushActMaxInterval");
        Objects.requireNonNull(pushLogMaxInterval, "pushLogMaxInterval");
    }
}
