package org.flamenco.worker.testing;

import java.nio.file.Path;
import java.time.Duration;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.SubprocessSettings;
import org.flamenco.worker.process.LauncherKind;
import org.flamenco.worker.process.PidFileGuard;
import org.flamenco.worker.process.PosixProcessLauncher;
import org.flamenco.worker.process.SubprocessPriority;

/** Real command environments for tests: POSIX (or the given) launcher, system clock, short grace. */
public final class TestEnvironments {
    private TestEnvironments() {
    }

    /** Working directory {@code dir}, 1 s kill grace, no inactivity timeout, no PID file. */
    public static CommandEnvironment in(Path dir) {
        return in(dir, Duration.ofSeconds(1), Duration.ZERO, PidFileGuard.disabled());
    }

    public static CommandEnvironment in(Path dir, Duration grace, Duration inactivity, PidFileGuard pidFile) {
        return new CommandEnvironment(dir, new SystemClock(), new PosixProcessLauncher(),
                new SubprocessSettings(grace, inactivity), pidFile);
    }

    /** As {@link #in(Path)} with the launcher {@code kind}. */
    public static CommandEnvironment in(LauncherKind kind, Path dir) {
        return in(kind, dir, Duration.ofSeconds(1), Duration.ZERO, PidFileGuard.disabled());
    }

    public static CommandEnvironment in(LauncherKind kind, Path dir, Duration grace, Duration inactivity,
                                        PidFileGuard pidFile) {
        return new CommandEnvironment(dir, new SystemClock(), kind.create(SubprocessPriority.INHERITED),
                new SubprocessSettings(grace, inactivity), pidFile);
    }
}
