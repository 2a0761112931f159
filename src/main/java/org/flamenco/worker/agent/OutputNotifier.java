package org.flamenco.worker.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.manager.ManagerApi;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Best-effort {@code POST /output-produced} (worker-behaviour.md §14): at most one POST per interval and one in
 * flight; a report arriving too soon is remembered (only the latest) and sent when the interval has passed, so the
 * last produced file is always announced. A 404 disables notifications for the rest of the process.
 * Thread {@code fw-output}; {@link #report} never blocks.
 */
public final class OutputNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutputNotifier.class);

    private final ManagerApi manager;
    private final Clock clock;
    private final Duration interval;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fw-output");
        t.setDaemon(true);
        return t;
    });
    /** The newest file not yet announced, and its task. */
    private record Produced(String taskId, Path file) {
    }

    private Produced pending;
    private boolean scheduled;
    private boolean disabled;
    private long lastPostNanos;
    private boolean posted;

    public OutputNotifier(ManagerApi manager, Clock clock, Duration interval) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /** A command of {@code taskId} produced {@code file}; announce it now or as soon as the interval allows. */
    public synchronized void report(String taskId, Path file) {
        if (disabled) {
            return;
        }
        pending = new Produced(taskId, file);
        if (scheduled) {
            return;
        }
        long waitNanos = posted ? interval.toNanos() - (clock.nanoTime() - lastPostNanos) : 0;
        scheduled = true;
        executor.schedule(this::sendPending, Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
    }

    private void sendPending() {
        Produced file;
        synchronized (this) {
            file = pending;
            pending = null;
            lastPostNanos = clock.nanoTime();
            posted = true;
        }
        try {
            if (file != null) {
                manager.outputProduced(file.taskId(), List.of(file.file().toString()));
                LOG.info("Announced produced output {}", file.file());
            }
        } catch (ManagerException e) {
            if (e.outcome() == ManagerOutcome.GONE) {
                LOG.info("The Manager does not support output notifications; not sending them any more");
                synchronized (this) {
                    disabled = true;
                }
            } else {
                LOG.warn("Could not announce produced output {}: {}", file.file(), e.getMessage());
            }
        } finally {
            synchronized (this) {
                scheduled = false;
                if (pending != null && !disabled) {
                    scheduled = true;
                    executor.schedule(this::sendPending, interval.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
