package org.flamenco.worker.config;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How the worker lives between tasks and ends: {@code may_i_run_interval_seconds},
 * {@code quarantine_fast_failures}, {@code shutdown_timeout_seconds} and {@code restart_exit_code}. A class rather
 * than a record because the restart exit code may be absent, and absence is an {@link OptionalInt} return, never a
 * field.
 */
public final class LifecycleSettings {
    private final Duration mayIRunInterval;
    private final int quarantineFastFailures;
    private final Duration shutdownTimeout;
    /** Negative when restarts are off. */
    private final int restartExitCode;

    /**
     * @param quarantineFastFailures 0 disables quarantine
     * @param restartExitCode        the exit code after a Flamenco 3 {@code restart} request; empty: no restarts
     */
    public LifecycleSettings(Duration mayIRunInterval, int quarantineFastFailures, Duration shutdownTimeout,
                             OptionalInt restartExitCode) {
        this.mayIRunInterval = Objects.requireNonNull(mayIRunInterval, "mayIRunInterval");
        this.quarantineFastFailures = quarantineFastFailures;
        this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        this.restartExitCode = restartExitCode.orElse(-1);
    }

    public Duration mayIRunInterval() {
        return mayIRunInterval;
    }

    /** 0 disables quarantine. */
    public int quarantineFastFailures() {
        return quarantineFastFailures;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** The exit code after a Flamenco 3 {@code restart} request; empty: no restarts. */
    public OptionalInt restartExitCode() {
        return restartExitCode < 0 ? OptionalInt.empty() : OptionalInt.of(restartExitCode);
    }

    @Override
    public String toString() {
        return "LifecycleSettings[mayIRunInterval=" + mayIRunInterval + ", quarantineFastFailures="
                + quarantineFastFailures + ", shutdownTimeout=" + shutdownTimeout + ", restartExitCode="
                + restartExitCode() + "]";
    }
}
