package org.flamenco.worker.clock;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with jitter (worker-behaviour.md §7.3):
 * {@code delay(n) = min(cap, initial × 2^(n−1)) × r}, {@code r} uniform in [0.8, 1.2]. Pure: the random source is
 * passed in, so tests are deterministic.
 */
public record Backoff(Duration initial, Duration cap) {
    public static final Backoff FETCH = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(30));
    public static final Backoff REGISTRATION = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(60));
    public static final Backoff SENDER = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    public static final Backoff ACK = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30));
    public static final Backoff TASK_RETURN = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(4));

    private static final double JITTER_LOW = 0.8;
    private static final double JITTER_SPAN = 0.4;

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(cap, "cap");
        if (initial.isNegative() || cap.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 <= initial <= cap, got " + initial + " and " + cap);
        }
    }

    /**
     * The delay before retry number {@code attempt} (1 for the first failure).
     *
     * @param random uniform source in [0, 1)
     */
    public Duration delay(int attempt, DoubleSupplier random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, got " + attempt);
        }
        long capNanos = cap.toNanos();
        long base = initial.toNanos();
        // Shift without overflow: stop doubling once the cap is reached.
        for (int i = 1; i < attempt && base < capNanos; i++) {
            base *= 2;
        }
        base = Math.min(base, capNanos);
        double r = JITTER_LOW + JITTER_SPAN * random.getAsDouble();
        return Duration.ofNanos(Math.round(base * r));
    }

    /** {@code delay}, or the floor a server set ({@code Retry-After}) when that is longer. */
    public static Duration atLeast(Duration delay, Optional<Duration> floor) {
        return floor.filter(f -> f.compareTo(delay) > 0).orElse(delay);
    }
}
