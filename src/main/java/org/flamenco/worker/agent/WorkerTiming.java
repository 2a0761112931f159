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
                           Backoff fetchBackoff) {
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
    }

    public static WorkerTiming standard(Duration mayIRunInterval) {
        return new WorkerTiming(Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(3),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(600), Duration.ofSeconds(30),
                mayIRunInterval, Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Backoff.FETCH);
    }

    /**
     * Flamenco 3 (protocol-v3.md §8, the reference worker's loop): 20 s after "no task", 2 s after a task, 3 s after
     * waking up, and {@code GET /worker/state} every 3 s while asleep (the request is cheap). Failures keep this
     * worker's backoff instead of the reference worker's flat 60 s.
     */
    public static WorkerTiming flamenco3(Duration mayIRunInterval) {
        return new WorkerTiming(Duration.ofSeconds(20), Duration.ofSeconds(2), Duration.ofSeconds(3),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(600), Duration.ofSeconds(3),
                mayIRunInterval, Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Backoff.FETCH);
    }
}
