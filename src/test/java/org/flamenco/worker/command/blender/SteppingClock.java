package org.flamenco.worker.command.blender;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.flamenco.worker.clock.Clock;

/** A clock that moves only when told to; {@link #sleep} advances it at once and records the duration. */
public final class SteppingClock implements Clock {
    private long nanos = 1_000_000_000L;
    private final List<Duration> sleeps = new ArrayList<>();

    @Override
    public synchronized Instant now() {
        return Instant.ofEpochSecond(1_700_000_000L).plusNanos(nanos);
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        if (!duration.isNegative()) {
            nanos += duration.toNanos();
        }
    }

    public synchronized void advance(Duration d) {
        nanos += d.toNanos();
    }

    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    @Override
    public org.flamenco.worker.clock.Wakeup newWakeup() {
        return new org.flamenco.worker.clock.MonitorWakeup(this);
    }
}
