package org.flamenco.worker.command.misc;

import java.time.Duration;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.PythonText;
import org.flamenco.worker.command.Settings;

/**
 * {@code sleep} (commands.md §3.3): waits at least {@code time_in_seconds} on the monotonic clock, reporting progress
 * at most once per second; stoppable at any moment (the wait is interruptible).
 */
public final class SleepCommand implements Command {
    public static final String NAME = "sleep";
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        if (!settings.containsKey("time_in_seconds")) {
            throw new InvalidSettingException("Missing \"time_in_seconds\"");
        }
        if (!(settings.raw("time_in_seconds") instanceof Number time)) {
            throw new InvalidSettingException("time_in_seconds must be an int or float");
        }
        String text = PythonText.number(time);
        double seconds = time.doubleValue();
        return context -> {
            context.reporter().log("Sleeping for " + text + " seconds");
            sleep(context.clock(), seconds, context.reporter()::commandProgress);
            context.reporter().log("Done sleeping for " + text + " seconds");
        };
    }

    /** A progress callback that may block (back-pressure). */
    @FunctionalInterface
    interface Progress {
        void report(int percentage) throws InterruptedException;
    }

    /** Waits at least {@code seconds} on the monotonic clock (shared with Flamenco 3's {@code sleep}). */
    static void sleep(Clock clock, double seconds, Progress progress) throws InterruptedException {
        if (!(seconds > 0)) {
            return;
        }
        long total = seconds >= Long.MAX_VALUE / (double) NANOS_PER_SECOND ? Long.MAX_VALUE
                : (long) Math.ceil(seconds * NANOS_PER_SECOND);
        long start = clock.nanoTime();
        while (true) {
            long elapsed = clock.nanoTime() - start;
            if (elapsed >= total) {
                return;
            }
            progress.report((int) (100.0 * elapsed / total));
            clock.sleep(Duration.ofNanos(Math.min(NANOS_PER_SECOND, total - elapsed)));
        }
    }
}
