package org.flamenco.worker.daemon;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.flamenco.worker.manager.ManagerProtocol;

/**
 * The Manager's protocol decided on its own thread ({@code fw-protocol-probe}) while the daemon opens the queue,
 * writes the helper scripts and checks the pid file (issue 24): with {@code manager_protocol = auto} the version
 * probe is the worker's first request, and it no longer waits for that local start-up work. Only the probe runs
 * early; registration, sign-on and every other request still come after the queue is open. {@link #close()}
 * interrupts a probe still retrying (the queue could not be opened, a stop during start-up).
 */
final class EarlyProtocolProbe implements AutoCloseable {
    private static final long END_WAIT_MILLIS = 2000;

    private final CompletableFuture<ManagerProtocol> result = new CompletableFuture<>();
    private final Thread thread;

    private EarlyProtocolProbe(Callable<ManagerProtocol> decide) {
        thread = new Thread(() -> {
            try {
                result.complete(decide.call());
            } catch (Throwable e) { // handed to the daemon's thread in await()
                result.completeExceptionally(e);
            }
        }, "fw-protocol-probe");
        thread.setDaemon(true);
    }

    /** Starts deciding at once; {@code decide} blocks until decided and ends early only by interruption. */
    static EarlyProtocolProbe start(Callable<ManagerProtocol> decide) {
        EarlyProtocolProbe probe = new EarlyProtocolProbe(decide);
        probe.thread.start();
        return probe;
    }

    /** The decision; an interruption of the calling thread, or of the probe, is an InterruptedException. */
    ManagerProtocol await() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("protocol probe failed", cause);
        }
    }

    /**
     * Interrupts a probe still retrying and gives it a moment to end (a daemon thread: it cannot keep the JVM alive);
     * an interruption of the calling thread is kept for the caller.
     */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(END_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
