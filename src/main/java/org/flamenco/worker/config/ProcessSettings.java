package org.flamenco.worker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the commands' subprocesses are started and stopped: the {@code subprocess_*}, {@code oom_score_adjust} and
 * {@code process_launcher} keys. A class rather than a record because the PID file and the OOM score may be absent,
 * and absence is an {@link Optional} return, never a field.
 */
public final class ProcessSettings {
    private final Duration killGrace;
    private final Duration inactivityTimeout;
    /** Null when the guard is disabled. */
    private final Path pidFile;
    private final int nice;
    /** Negative when left as inherited. */
    private final int oomScoreAdjust;
    private final String launcher;

    /**
     * @param inactivityTimeout {@link Duration#ZERO} disables the timeout
     * @param pidFile           {@code null} when the guard is disabled ({@code subprocess_pid_file =})
     * @param nice              niceness for subprocesses, 0–19
     * @param oomScoreAdjust    {@code oom_score_adj} for subprocesses, 0–1000; empty leaves it as inherited
     * @param launcher          {@code auto}, {@code posix}, {@code spawn}, {@code windows} or {@code portable}
     */
    public ProcessSettings(Duration killGrace, Duration inactivityTimeout, Path pidFile, int nice,
                           OptionalInt oomScoreAdjust, String launcher) {
        this.killGrace = Objects.requireNonNull(killGrace, "killGrace");
        this.inactivityTimeout = Objects.requireNonNull(inactivityTimeout, "inactivityTimeout");
        this.pidFile = pidFile;
        this.nice = nice;
        this.oomScoreAdjust = oomScoreAdjust.orElse(-1);
        this.launcher = Objects.requireNonNull(launcher, "launcher");
    }

    /** {@code subprocess_kill_grace_seconds}: TERM → KILL. */
    public Duration killGrace() {
        return killGrace;
    }

    /** {@code subprocess_inactivity_timeout_seconds}; {@link Duration#ZERO} disables it. */
    public Duration inactivityTimeout() {
        return inactivityTimeout;
    }

    /** {@code subprocess_pid_file}; empty when the guard is disabled. */
    public Optional<Path> pidFile() {
        return Optional.ofNullable(pidFile);
    }

    /** {@code subprocess_nice}, 0–19. */
    public int nice() {
        return nice;
    }

    /** {@code oom_score_adjust}, 0–1000; empty leaves it as inherited. */
    public OptionalInt oomScoreAdjust() {
        return oomScoreAdjust < 0 ? OptionalInt.empty() : OptionalInt.of(oomScoreAdjust);
    }

    /** {@code process_launcher}, lower case. */
    public String launcher() {
        return launcher;
    }

    @Override
    public String toString() {
        return "ProcessSettings[killGrace=" + killGrace + ", inactivityTimeout=" + inactivityTimeout + ", pidFile="
                + pidFile + ", nice=" + nice + ", oomScoreAdjust=" + oomScoreAdjust() + ", launcher=" + launcher + "]";
    }
}
