package org.flamenco.worker.process;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The exit status a launcher's own reaper thread completes, waited for by {@link ChildProcess#waitFor}. */
final class ReaperExit {
    private ReaperExit() {
    }

    /** The status, or empty when {@code exit} is not complete within {@code timeout}. */
    static Optional<ExitStatus> await(CompletableFuture<ExitStatus> exit, Duration timeout, long pid)
            throws InterruptedException {
        try {
            return Optional.of(exit.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("reaper of pid=" + pid + " failed", e.getCause());
        }
    }
}
