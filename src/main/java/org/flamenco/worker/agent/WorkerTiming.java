package org.flamenco.worker.agent;

import java.time.Duration;
import java.util.Objects;

import org.flamenco.worker.clock.Backoff;

/**
 * The fetch-loop timing constants (worker-behaviour.md §7.2). Production uses {@link #standard}; tests may shorten
 * them.
 */
public record WorkerTiming(Duration noTask, Duration afterTask, Duration afterWake, Duration queueRecheck,
                           Duration watchdog, Duration errorState, Duration asleepPoll, Duration mayIRunInterval,
                           Duration reregistrationWindow, Duration returnDeliveryWait, Duration outputInterval,
                           Backoff fetchBackoff, double awakeJitter) {
    public WorkerTiming {
        Objects.requireNonNull(noTask);
        Objects.requireNonNull(afterTask);
        Objects.requireNonNull(afterWake);
        Objects.requireNonNull(queueRecheck);
        Objects.requireNonNull(watchdog);
        Objects.requireNonNull(errorState);
        Objects.requireNonNull(asleepPoll);
        Objects.requireNonNull(mayIRunInterval);
        Objects.requireNonNull(reregistrationWindow);
        Objects.requireNonNull(returnDeliveryWait);
        Objects.requireNonNull(outputInterval);
        Objects.requireNonNull(fetchBackoff);
        if (!(awakeJitter >= 0 && awakeJitter < 1)) {
            throw new IllegalArgumentException("awakeJitter must be in [0, 1): " + awakeJitter);
        }
    }

    /**
     * One of the awake loop's fixed waits ({@link #noTask}, {@link #afterTask}, {@link #afterWake}) spread by
     * &plusmn;{@link #awakeJitter} ({@code random} in [0, 1)), so that a farm's workers started together do not poll
     * in step. Backoff delays are not spread again (they have their own jitter and may carry a Retry-After floor).
     */
    public Duration spread(Duration wait, double random) {
        if (awakeJitter == 0) {
            return wait;
        }
        return Duration.ofNanos(Math.round(wait.toNanos() * (1 + awakeJitter * (2 * random - 1))));
    }

    public static WorkerTiming standard(Duration mayIRunInterval) {
        return new WorkerTiming(Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(3),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(600), Duration.ofSeconds(30),
                mayIRunInterval, Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Backoff.FETCH, 0);
    }

    /** Flamenco 3's may-i-run period while a task runs, the first check one period after the start (§8). */
    public static final Duration FLAMENCO3_MAY_I_RUN = Duration.ofSeconds(10);

    /**
     * Flamenco 3 (protocol-v3.md §8, the reference worker's loop): 20 s after "no task", 2 s after a task, 3 s after
     * waking up, {@code GET /worker/state} every 3 s while asleep (the request is cheap), and may-i-run every 10 s
     * while a task runs ({@link #FLAMENCO3_MAY_I_RUN}; v2's {@code may_i_run_interval_seconds} does not apply: a 404
     * or 409 on an update triggers a check at once anyway). Failures keep this worker's backoff instead of the
     * reference worker's flat 60 s. The loop's fixed waits are spread by &plusmn;10 % as the reference worker's are.
     */
    public static WorkerTiming flamenco3() {
        return new WorkerTiming(Duration.ofSeconds(20), Duration.ofSeconds(2), Duration.ofSeconds(3),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(600), Duration.ofSeconds(3),
                FLAMENCO3_MAY_I_RUN, Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Backoff.FETCH, 0.1);
    }
}
