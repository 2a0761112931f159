package org.flamenco.worker.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;

/**
 * The effective, validated configuration (worker-behaviour.md §2.3, §2.4, §2.5): parsed once at startup, immutable,
 * never re-read. Paths are absolute (resolved against the working directory at startup). Secrets are {@link Secret}
 * values, so {@link #toString()} never shows them.
 *
 * @param managerUrl           empty means SSDP discovery at startup; otherwise an http(s) URL with a host
 * @param subprocessPidFile    empty when the guard is disabled ({@code subprocess_pid_file =})
 * @param managerCaFile        extra trusted CA certificates (PEM), when configured
 * @param subprocessInactivityTimeout {@link Duration#ZERO} disables the timeout
 * @param taskLogMaxBytes      0 disables the cap
 * @param quarantineFastFailures 0 disables quarantine
 * @param preTaskReadPaths     {@code [pre_task_check] read*} paths, in file order
 * @param preTaskWritePaths    {@code [pre_task_check] write*} paths, in file order
 * @param workingDir           the directory relative paths were resolved against
 * @param oomScoreAdjust       {@code oom_score_adj} for subprocesses, 0–1000; empty leaves it as inherited
 * @param subprocessNice       niceness for subprocesses, 0–19
 * @param monitoring           metrics_listen and healthz_max_silence_seconds (README "Monitoring")
 * @param processLauncher      {@code auto}, {@code posix} (Linux only) or {@code portable}, lower case
 * @param managerProtocol      {@code v2}, {@code v3} or {@code auto}, lower case
 * @param restartExitCode      the exit code after a Flamenco 3 {@code restart} request; empty: no restarts
 */
public record WorkerConfig(
        String managerUrl,
        Secret workerRegistrationSecret,
        List<String> taskTypes,
        Path taskUpdateQueueDb,
        Optional<Path> subprocessPidFile,
        Duration mayIRunInterval,
        Duration pushLogMaxInterval,
        int pushLogMaxEntries,
        Duration pushActMaxInterval,
        Credentials credentials,
        Path credentialsFile,
        String workerNickname,
        Optional<Path> managerCaFile,
        Duration httpConnectTimeout,
        Duration httpReadTimeout,
        Duration subprocessKillGrace,
        Duration subprocessInactivityTimeout,
        long taskLogMaxBytes,
        Duration preTaskCheckTimeout,
        Duration shutdownTimeout,
        int quarantineFastFailures,
        String managerProtocol,
        List<Path> preTaskReadPaths,
        List<Path> preTaskWritePaths,
        LoggingSettings logging,
        Path workingDir,
        OptionalInt oomScoreAdjust,
        int subprocessNice,
        MonitoringSettings monitoring,
        String processLauncher,
        OptionalInt restartExitCode) {

    public WorkerConfig {
        Objects.requireNonNull(managerUrl, "managerUrl");
        Objects.requireNonNull(workerRegistrationSecret, "workerRegistrationSecret");
        taskTypes = List.copyOf(taskTypes);
        Objects.requireNonNull(taskUpdateQueueDb, "taskUpdateQueueDb");
        Objects.requireNonNull(subprocessPidFile, "subprocessPidFile");
        Objects.requireNonNull(mayIRunInterval, "mayIRunInterval");
        Objects.requireNonNull(pushLogMaxInterval, "pushLogMaxInterval");
        Objects.requireNonNull(pushActMaxInterval, "pushActMaxInterval");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(credentialsFile, "credentialsFile");
        Objects.requireNonNull(workerNickname, "workerNickname");
        Objects.requireNonNull(managerCaFile, "managerCaFile");
        Objects.requireNonNull(httpConnectTimeout, "httpConnectTimeout");
        Objects.requireNonNull(httpReadTimeout, "httpReadTimeout");
        Objects.requireNonNull(subprocessKillGrace, "subprocessKillGrace");
        Objects.requireNonNull(subprocessInactivityTimeout, "subprocessInactivityTimeout");
        Objects.requireNonNull(preTaskCheckTimeout, "preTaskCheckTimeout");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(managerProtocol, "managerProtocol");
        preTaskReadPaths = List.copyOf(preTaskReadPaths);
        preTaskWritePaths = List.copyOf(preTaskWritePaths);
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(workingDir, "workingDir");
        Objects.requireNonNull(oomScoreAdjust, "oomScoreAdjust");
        Objects.requireNonNull(monitoring, "monitoring");
        Objects.requireNonNull(processLauncher, "processLauncher");
        Objects.requireNonNull(restartExitCode, "restartExitCode");
    }

    /** The Manager URL, or empty when it must be discovered. */
    public Optional<URI> managerUri() {
        return managerUrl.isEmpty() ? Optional.empty() : Optional.of(URI.create(managerUrl));
    }

    /** A copy with other credentials (after {@code --reregister} or a registration). */
    public WorkerConfig withCredentials(Credentials newCredentials) {
        return new WorkerConfig(managerUrl, workerRegistrationSecret, taskTypes, taskUpdateQueueDb,
                subprocessPidFile, mayIRunInterval, pushLogMaxInterval, pushLogMaxEntries, pushActMaxInterval,
                newCredentials, credentialsFile, workerNickname, managerCaFile, httpConnectTimeout, httpReadTimeout,
                subprocessKillGrace, subprocessInactivityTimeout, taskLogMaxBytes, preTaskCheckTimeout,
                shutdownTimeout, quarantineFastFailures, managerProtocol, preTaskReadPaths, preTaskWritePaths,
                logging, workingDir, oomScoreAdjust, subprocessNice, monitoring, processLauncher,
                restartExitCode);
    }

    /** A copy with other task types ({@code --test}). */
    public WorkerConfig withTaskTypes(List<String> newTaskTypes) {
        return new WorkerConfig(managerUrl, workerRegistrationSecret, newTaskTypes, taskUpdateQueueDb,
                subprocessPidFile, mayIRunInterval, pushLogMaxInterval, pushLogMaxEntries, pushActMaxInterval,
                credentials, credentialsFile, workerNickname, managerCaFile, httpConnectTimeout, httpReadTimeout,
                subprocessKillGrace, subprocessInactivityTimeout, taskLogMaxBytes, preTaskCheckTimeout,
                shutdownTimeout, quarantineFastFailures, managerProtocol, preTaskReadPaths, preTaskWritePaths,
                logging, workingDir, oomScoreAdjust, subprocessNice, monitoring, processLauncher,
                restartExitCode);
    }
}
