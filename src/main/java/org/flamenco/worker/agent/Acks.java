package org.flamenco.worker.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.manager.CredentialsGuard;
import org.flamenco.worker.manager.ManagerApi;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.model.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code POST /ack-status-change/<status>} in the background (protocol-v2.md §3.8): retried on 5xx/network
 * with the ack backoff, at most 5 attempts, abandoned as soon as a newer ack is requested. Thread {@code fw-ack}.
 */
public final class Acks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Acks.class);
    private static final int MAX_ATTEMPTS = 5;

    private final ManagerApi manager;
    private final CredentialsGuard guard;
    private final Clock clock;
    private final DoubleSupplier random;
    private final AtomicLong generation = new AtomicLong();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fw-ack");
        t.setDaemon(true);
        return t;
    });

    public Acks(ManagerApi manager, CredentialsGuard guard, Clock clock, DoubleSupplier random) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Queues an ack; an older ack still retrying is abandoned. */
    public void ack(WorkerStatus status) {
        long mine = generation.incrementAndGet();
        executor.execute(() -> send(status, mine));
    }

    private void send(WorkerStatus status, long mine) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS && generation.get() == mine; attempt++) {
            try {
                manager.ackStatusChange(status);
                LOG.debug("Acknowledged status {}", status.wire());
                return;
            } catch (ManagerException e) {
                if (e.isAuthFailure()) {
                    try {
                        guard.onUnauthorized(Duration.ZERO);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                } else if (!e.outcome().retryable()) {
                    LOG.warn("Manager refused the ack of status {}: {}", status.wire(), e.getMessage());
                    return;
                }
                if (attempt == MAX_ATTEMPTS) {
                    LOG.warn("Gave up acknowledging status {} after {} attempts: {}", status.wire(), attempt,
                            e.getMessage());
                    return;
                }
                try {
                    clock.sleep(Backoff.atLeast(Backoff.ACK.delay(attempt, random), e.retryAfter()));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        generation.incrementAndGet();
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(Duration.ofSeconds(2).toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.debug("ack thread still busy at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
