package org.flamenco.worker.command.blender;

import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.command.CommandReporter;

/**
 * Named timing checkpoints of a Blender command ({@code starting blender}, {@code loading blendfile},
 * {@code rendering}): starting one closes the previous and reports its duration in seconds. Confined to one thread
 * at a time (the command thread, then the output reader, then the command thread again after the process ended).
 */
final class Checkpoints {
    private final Clock clock;
    private final CommandReporter reporter;
    private String current;
    private long startedNanos;

    Checkpoints(Clock clock, CommandReporter reporter) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
    }

    void start(String name) {
        close();
        current = name;
        startedNanos = clock.nanoTime();
    }

    Optional<String> current() {
        return Optional.ofNullable(current);
    }

    /** Reports the open checkpoint, if any; later calls do nothing until the next {@link #start}. */
    void close() {
        if (current != null) {
            reporter.timing(current, (clock.nanoTime() - startedNanos) / 1e9);
            current = null;
        }
    }
}
