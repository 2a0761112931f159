package org.flamenco.worker.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.flamenco.worker.model.Credentials;

/**
 * The effective, validated configuration (worker-behaviour.md §2.3, §2.4, §2.5): parsed once at startup, immutable,
 * never re-read. Grouped by the part of the worker that needs it, so each consumer is handed only its own group.
 * Paths are absolute (resolved against the working directory at startup). Secrets are
 * {@link org.flamenco.worker.model.Secret} values, so {@link #toString()} never shows them.
 *
 * @param manager         how to reach the Manager and present this worker to it
 * @param credentials     {@code worker_id}/{@code worker_secret} (v2 identity)
 * @param credentialsFile where registrations are stored
 * @param taskTypes       {@code task_types}
 * @param queue           the update queue and how updates are pushed from it
 * @param subprocess      how the commands' subprocesses are started and stopped
 * @param preTask         the pre-task checks
 * @param lifecycle       may-i-run interval, quarantine, shutdown deadline and restart exit code
 * @param logging         the logging sections
 * @param monitoring      metrics_listen and healthz_max_silence_seconds (README "Monitoring")
 * @param workingDir      the directory relative paths were resolved against
 */
public record WorkerConfig(
        ManagerSettings manager,
        Credentials credentials,
        Path credentialsFile,
        List<String> taskTypes,
        QueueSettings queue,
        ProcessSettings subprocess,
        PreTaskSettings preTask,
        LifecycleSettings lifecycle,
        LoggingSettings logging,
        MonitoringSettings monitoring,
        Path workingDir) {

    public WorkerConfig {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(credentialsFile, "credentialsFile");
        taskTypes = List.copyOf(taskTypes);
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(subprocess, "subprocess");
        Objects.requireNonNull(preTask, "preTask");
        Objects.requireNonNull(lifecycle, "lifecycle");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(monitoring, "monitoring");
        Objects.requireNonNull(workingDir, "workingDir");
    }

    /** A copy with other credentials (after {@code --reregister} or a registration). */
    public WorkerConfig withCredentials(Credentials newCredentials) {
        return new WorkerConfig(manager, newCredentials, credentialsFile, taskTypes, queue, subprocess, preTask,
                lifecycle, logging, monitoring, workingDir);
    }

    /** A copy with other task types ({@code --test}). */
    public WorkerConfig withTaskTypes(List<String> newTaskTypes) {
        return new WorkerConfig(manager, credentials, credentialsFile, newTaskTypes, queue, subprocess, preTask,
                lifecycle, logging, monitoring, workingDir);
    }
}
