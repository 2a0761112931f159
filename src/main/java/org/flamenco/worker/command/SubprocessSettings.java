package org.flamenco.worker.command;

import java.time.Duration;
import java.util.Objects;

/**
 * Worker-wide subprocess rules (worker-behaviour.md §2.3).
 *
 * @param killGrace         time between TERM and KILL ({@code subprocess_kill_grace_seconds}, default 10 s)
 * @param inactivityTimeout a subprocess silent this long is killed; zero disables
 *                          ({@code subprocess_inactivity_timeout_seconds}, default 3600 s)
 */
public record SubprocessSettings(Duration killGrace, Duration inactivityTimeout) {
    public static final SubprocessSettings DEFAULTS =
            new SubprocessSettings(Duration.ofSeconds(10), Duration.ofSeconds(3600));

    public SubprocessSettings {
        Objects.requireNonNull(killGrace, "killGrace");
        Objects.requireNonNull(inactivityTimeout, "inactivityTimeout");
        if (killGrace.isNegative() || inactivityTimeout.isNegative()) {
            throw new IllegalArgumentException("durations must be >= 0: " + killGrace + ", " + inactivityTimeout);
        }
    }
}
