package org.flamenco.worker.process;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The exit status of a child that a launcher reaps itself: a daemon thread {@code fw-reaper-<pid>} blocks in the
 * launcher's own wait and completes it; {@link ChildProcess#waitFor} waits for it here.
 */
final class ReaperExit {
    private final long pid;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

    private ReaperExit(long pid) {
        this.pid = pid;
    }

    /**
     * Starts the reaper thread of {@code pid}: it runs {@code reap} (which blocks until the child has ended and
     * returns its status; a status of -1 when it cannot tell) and completes the exit with what it returns.
     */
    static ReaperExit start(long pid, Supplier<ExitStatus> reap) {
        ReaperExit reaper = new ReaperExit(pid);
        Thread thread = new Thread(() -> {
            try {
                reaper.exit.complete(reap.get());
            } catch (RuntimeException | Error e) {
                reaper.exit.completeExceptionally(e); // await says so instead of waiting for ever
            }
        }, "fw-reaper-" + pid);
        thread.setDaemon(true);
        thread.start();
        return reaper;
    }

    /** Whether the child has been reaped (its pid may then belong to another process). */
    boolean isDone() {
        return exit.isDone();
    }

    /** The status, or empty when the child is not reaped within {@code timeout}. */
    Optional<ExitStatus> await(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(exit.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("reaper of pid=" + pid + " failed", e.getCause());
        }
    }
}
