package org.flamenco.worker.daemon;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.manager.ManagerApi;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.outbox.Outbox;
import org.flamenco.worker.outbox.OutboxException;
import org.flamenco.worker.agent.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clean shutdown of worker-behaviour.md §16 with its deadline, and the forced exit on a second signal.
 *
 * <p>Order, always: task stopped → updates delivered (as far as the deadline allows, keeping a sign-off reserve)
 * → {@code POST /sign-off} as the last request → database closed. The first trigger starts the sequence on
 * thread {@code fw-shutdown}; {@link #result()} completes when it ends, or at once (with the signal number) when a
 * second signal forces the exit after killing the task's process tree.
 */
final class ShutdownCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownCoordinator.class);
    private static final Duration SIGN_OFF_RESERVE = Duration.ofSeconds(5);

    /** Delivers queued updates until the queue is empty or the time is up; true when empty. */
    interface Flusher {
        boolean flush(Duration timeout) throws InterruptedException;
    }

    private final Worker worker;
    private final Outbox outbox;
    private final Flusher flusher;
    private final ManagerApi manager;
    private final Runnable killTaskNow;
    private final Clock clock;
    private final Duration timeout;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<DaemonResult> result = new CompletableFuture<>();
    private volatile DaemonResult cleanResult = DaemonResult.clean();

    ShutdownCoordinator(Worker worker, Outbox outbox, Flusher flusher, ManagerApi manager, Runnable killTaskNow,
                        Clock clock, Duration timeout) {
        this.worker = Objects.requireNonNull(worker, "worker");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.flusher = Objects.requireNonNull(flusher, "flusher");
        this.manager = Objects.requireNonNull(manager, "manager");
        this.killTaskNow = Objects.requireNonNull(killTaskNow, "killTaskNow");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    CompletableFuture<DaemonResult> result() {
        return result;
    }

    /** A shutdown signal: the first starts the clean shutdown, a second forces the exit. */
    void signal(int number, String name) {
        if (started.get()) {
            forceExit(number, name);
        } else {
            begin("received " + name, DaemonResult.clean());
        }
    }

    /** Starts the clean shutdown once; later calls are ignored. {@code outcome} is reported when it ends. */
    void begin(String reason, DaemonResult outcome) {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        cleanResult = outcome;
        LOG.info("Shutting down: {}", reason);
        Thread t = new Thread(this::runSequence, "fw-shutdown");
        t.setDaemon(true);
        t.start();
    }

    private void runSequence() {
        long deadline = clock.nanoTime() + timeout.toNanos();
        String step = "stopping the task";
        try {
            worker.beginShutdown(false);
            if (!worker.awaitStopped(remaining(deadline))) {
                LOG.warn("The task did not stop within the shutdown deadline; killing its processes");
                killTaskNow.run();
            }
            step = "delivering queued updates";
            outbox.releaseAll();
            Duration flushTime = remaining(deadline).minus(SIGN_OFF_RESERVE);
            if (!flusher.flush(flushTime.isNegative() ? Duration.ZERO : flushTime)) {
                LOG.warn("Not every queued update was delivered; the rest stays queued for the next start");
            }
            step = "signing off";
            signOff(remaining(deadline));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Shutdown interrupted while {}", step);
        } catch (OutboxException | RuntimeException e) {
            LOG.error("Error while {} during shutdown: {}", step, e.getMessage(), e);
        } finally {
            killTaskNow.run();
            result.complete(cleanResult);
        }
    }

    private void signOff(Duration budget) throws InterruptedException {
        if (budget.isZero() || budget.isNegative()) {
            LOG.warn("Shutdown deadline reached before signing off; the Manager will time this worker out");
            return;
        }
        CompletableFuture<Void> call = CompletableFuture.runAsync(() -> {
            try {
                manager.signOff();
                LOG.info("Signed off");
            } catch (ManagerException e) {
                LOG.warn("Sign-off failed: {}", e.getMessage());
            }
        }, r -> {
            Thread t = new Thread(r, "fw-sign-off");
            t.setDaemon(true);
            t.start();
        });
        try {
            call.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Sign-off did not finish within the shutdown deadline");
        } catch (ExecutionException e) {
            LOG.warn("Sign-off failed: {}", e.getCause().toString());
        }
    }

    private void forceExit(int number, String name) {
        LOG.warn("Received {} during shutdown: forcing exit now", name);
        worker.beginShutdown(true);
        killTaskNow.run();
        result.complete(DaemonResult.forced(number));
    }

    private Duration remaining(long deadlineNanos) {
        long left = deadlineNanos - clock.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }
}
