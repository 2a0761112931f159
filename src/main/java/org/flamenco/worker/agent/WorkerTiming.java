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
}
