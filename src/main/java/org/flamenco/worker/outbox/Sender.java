package org.flamenco.worker.outbox;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.manager.CredentialsGuard;
import org.flamenco.worker.manager.ManagerApi;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerOutcome;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that delivers the queue ({@code fw-sender}, worker-behaviour.md §13.4–§13.5, §13.10).
 *
 * <pre>
 *   ┌──────── nothing sendable: wait for a commit ◄──────┐
 *   ▼                                                    │
 *  head group ──post──► 2xx ───────────► delete ─────────┤
 *                   ├─► 404/409 ───────► drop execution ─┤ (409: onConflict)
 *                   ├─► 400, other 4xx ► dead-letter ────┤
 *                   ├─► 403 (5th) ─────► dead-letter ────┤
 *                   ├─► 401 ───────────► credentials guard, retry
 *                   └─► 403, 408, 429, 5xx, network ► keep, backoff (woken early by wake())
 * </pre>
 *
 * <p>Only the head group is ever sent, so nothing later goes out before it. It reads and settles groups through the
 * outbox's {@link DeliveryQueue} alone (one transaction per outcome) and never writes captured material: a log line
 * goes one way, from capture to the request body. The answer is classified in one place, {@link #onRefused}, which
 * maps it onto one action each. No lock is held while posting. While a request is out, {@link ReadAhead} reads the
 * next group.
 */
public final class Sender implements AutoCloseable {
    static final int MAX_FORBIDDEN = 5;
    static final long MAX_LOG_BYTES_PER_REQUEST = 1024L * 1024;
    static final Duration UNREACHABLE_WARNING = Duration.ofSeconds(60);
    private static final Duration STEP = Duration.ofMillis(50);
    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

    private final Outbox outbox;
    private final DeliveryQueue queue;
    private final ManagerApi api;
    private final CredentialsGuard guard;
    private final Clock clock;
    private final Backoff backoff;
    private final DoubleSupplier random;
    private final Consumer<String> onConflict;
    private final WorkerMetrics metrics;
    private final Thread thread;
    private final ReadAhead readAhead;
    private final OutageLog outage;
    private volatile boolean closed;
    private volatile boolean wakeRequested;
    private int failures;
    private long forbiddenHead = -1;
    private int forbiddenCount;
    /** Accepted by the Manager but not yet removed from the queue (the removal failed). */
    private Batch acknowledged;
    /** Executions answered 404/409: what they capture later is dropped without another request or warning. */
    private final Set<String> dropped = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 64;
        }
    });

    /**
     * @param onConflict called with the task id after a 409 (the worker checks may-i-run now)
     */
    public Sender(SqliteOutbox outbox, ManagerApi api, CredentialsGuard guard, Clock clock, Backoff backoff,
                  DoubleSupplier random, Consumer<String> onConflict) {
        this(outbox, api, guard, clock, backoff, random, onConflict, WorkerMetrics.NONE);
    }

    /** As the other constructor; {@code metrics} counts deliveries, retries and dead letters. */
    public Sender(SqliteOutbox outbox, ManagerApi api, CredentialsGuard guard, Clock clock, Backoff backoff,
                  DoubleSupplier random, Consumer<String> onConflict, WorkerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.queue = outbox.deliveryQueue();
        this.api = Objects.requireNonNull(api, "api");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.random = Objects.requireNonNull(random, "random");
        this.onConflict = Objects.requireNonNull(onConflict, "onConflict");
        this.thread = new Thread(this::run, "fw-sender");
        this.thread.setDaemon(true);
        this.readAhead = new ReadAhead(queue, MAX_LOG_BYTES_PER_REQUEST);
        this.outage = new OutageLog(clock, queue::state);
    }

    public void start() {
        thread.start();
    }

    /**
     * The Manager answered another request below 500: stop backing off and retry now (§13.4). Ignored on the sender's
     * own thread: an answer to its own update (a 403, say) is handled by that update's outcome, and must not cut the
     * backoff after it short.
     */
    public void wake() {
        if (Thread.currentThread() == thread) {
            return;
        }
        wakeRequested = true;
        queue.wakeSender();
    }

    /**
     * Shutdown flush: releases everything and waits until the queue is empty or {@code deadline} passes. What is
     * left stays in the file for the next start.
     *
     * @return true when everything was delivered
     */
    public boolean flush(Duration deadline) throws InterruptedException {
        try {
            outbox.releaseAll();
        } catch (OutboxException e) {
            LOG.error("Cannot release the captured updates for the shutdown flush", e);
        }
        wake();
        return outbox.awaitAllDelivered(deadline);
    }

    /** Stops the thread within 10 s; undelivered updates stay queued. */
    @Override
    public void close() {
        closed = true;
        queue.wakeSender();
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Update sender did not stop within 10 s");
        }
        readAhead.close();
        long left = queue.state().elements();
        if (left > 0) {
            LOG.info("Update sender stopped with {} updates still queued", left);
        }
    }

    private void run() {
        while (!closed) {
            try {
                step();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // A defect, or a reply nothing foresaw, must not end delivery: the queue keeps the update, and it is
                // sent again after a backoff (a duplicate at worst, as after a lost answer; never a loss).
                LOG.error("Unexpected error while delivering task updates; retrying with backoff", e);
                try {
                    pause(backoff.delay(++failures, random));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void step() throws InterruptedException {
        if (acknowledged != null) {
            removeAcknowledged();
            return;
        }
        Optional<Batch> next = readAhead.take();
        if (next.isEmpty()) {
            next = head();
        }
        if (next.isEmpty()) {
            outage.caughtUp();
            if (!closed) {
                queue.awaitSendable();
            }
        } else {
            deliver(next.get());
        }
    }

    private Optional<Batch> head() throws InterruptedException {
        try {
            return queue.head(MAX_LOG_BYTES_PER_REQUEST);
        } catch (OutboxException e) {
            LOG.error("Cannot read the update queue; retrying", e);
            pause(backoff.delay(++failures, random));
            return Optional.empty();
        }
    }

    private void deliver(Batch b) throws InterruptedException {
        try {
            if (b.undecodable() != null) {
                // Cannot be decoded from the database: it can never be sent.
                LOG.warn("Update {} of task {} cannot be decoded ({}); moved to the dead letters", b.firstSeq(),
                        b.taskId(), b.undecodable());
                queue.deadLetter(b, 0, b.undecodable());
                metrics.deadLettered(b.elements());
                return;
            }
            if (dropped.contains(b.executionId())) {
                long n = queue.dropExecution(b.executionId());
                LOG.debug("Dropped {} more updates of task {} (the Manager refused that execution)", n, b.taskId());
                return;
            }
            if (b.update() == null) {
                queue.delivered(b); // nothing to send (activity of a silently aborting task)
                return;
            }
            readAhead.start(b);
            post(b);
        } catch (OutboxException e) {
            if (acknowledged != null) {
                LOG.error("Task {}: the Manager accepted an update but the queue cannot remove it ({}); retrying the"
                        + " removal, not the update", b.taskId(), e.getMessage());
            } else {
                LOG.error("Cannot update the queue for task {}; retrying", b.taskId(), e);
            }
            pause(backoff.delay(++failures, random));
        }
    }

    private void post(Batch b) throws OutboxException, InterruptedException {
        try {
            api.postUpdate(b.update());
        } catch (ManagerException e) {
            onRefused(b, e);
            return;
        }
        accepted(b);
        readAhead.delivered();
    }

    /**
     * Removes the update the Manager accepted but the queue could not delete (a full disk, say), retrying with
     * backoff; it is not sent again meanwhile, which would duplicate its log lines.
     */
    private void removeAcknowledged() throws InterruptedException {
        Batch b = acknowledged;
        try {
            delivered(b);
            acknowledged = null;
            LOG.info("Removed the delivered updates of task {} from the queue after all", b.taskId());
        } catch (OutboxException e) {
            LOG.debug("Still cannot remove delivered updates of task {}: {}", b.taskId(), e.getMessage());
            pause(backoff.delay(++failures, random));
        }
    }

    /** The Manager has {@code b}: from here on it is removed (retried if that fails), never sent again. */
    private void accepted(Batch b) throws OutboxException {
        acknowledged = b;
        delivered(b);
        acknowledged = null;
    }

    private void delivered(Batch b) throws OutboxException {
        queue.delivered(b);
        metrics.updatesDelivered(b.elements());
        outage.delivered(b.elements());
        failures = 0;
        forbiddenHead = -1;
    }

    /**
     * The outcome table: the one place where the Manager's answer to an update is classified. Each branch is one
     * action; a protocol's answers (v2 here, v3 with 503 + {@code Retry-After} later) map onto these actions.
     */
    private void onRefused(Batch b, ManagerException e) throws OutboxException, InterruptedException {
        switch (e.outcome()) {
            case BAD_REPLY -> accepted(b); // the expected status; the body does not matter for an update
            case BUSY, TRANSIENT -> keepAndBackOff(b, e, e.retryAfter().orElse(Duration.ZERO)); // keep it; later waits
            case AUTH_FAILED -> reauthorize(b, e); // credentials guard: retry at once with new credentials, or back off
            case FORBIDDEN -> forbidden(b, e); // transient on the Manager's side until proven otherwise: five tries
            case GONE -> dropExecution(b, e, false); // the task is gone: nothing more of it is accepted
            case CONFLICT -> dropExecution(b, e, true); // no longer ours: the agent stops it if it still runs
            case REJECTED -> deadLetter(b, e); // this request can never succeed; it must not block the queue
            default -> throw new IllegalStateException("unhandled outcome " + e.outcome());
        }
    }

    /** Keeps {@code b} at the head and backs off, at least {@code atLeast} (a {@code Retry-After}). */
    private void keepAndBackOff(Batch b, ManagerException e, Duration atLeast)
            throws OutboxException, InterruptedException {
        queue.recordFailure(b, e.getMessage());
        if (e.outcome() == ManagerOutcome.TRANSIENT) {
            outage.unreachable(e.getMessage());
        }
        Duration delay = backoff.delay(++failures, random);
        pause(delay.compareTo(atLeast) >= 0 ? delay : atLeast);
    }

    private void reauthorize(Batch b, ManagerException e) throws OutboxException, InterruptedException {
        queue.recordFailure(b, e.getMessage());
        if (!guard.onUnauthorized(backoff.initial())) {
            pause(backoff.delay(++failures, random));
        }
    }

    private void forbidden(Batch b, ManagerException e) throws OutboxException, InterruptedException {
        queue.recordFailure(b, e.getMessage());
        forbiddenCount = forbiddenHead == b.firstSeq() ? forbiddenCount + 1 : 1;
        forbiddenHead = b.firstSeq();
        if (forbiddenCount >= MAX_FORBIDDEN) {
            deadLetter(b, e);
        } else {
            pause(backoff.delay(++failures, random));
        }
    }

    /**
     * Drops everything queued for {@code b}'s execution, and what it captures later.
     *
     * @param tellAgent whether the agent should check the task now ({@code onConflict}: it stops it if still running)
     */
    private void dropExecution(Batch b, ManagerException e, boolean tellAgent) throws OutboxException {
        long n = queue.dropExecution(b.executionId());
        dropped.add(b.executionId());
        LOG.warn("Manager answered {} to an update of task {}: {}; dropped {} queued updates of that task",
                e.status(), b.taskId(), e.reply(), n);
        failures = 0;
        if (tellAgent) {
            onConflict.accept(b.taskId());
        }
    }

    private void deadLetter(Batch b, ManagerException e) throws OutboxException {
        LOG.warn("Update of task {} refused with HTTP {}: {}; moved {} updates to the dead letters", b.taskId(),
                e.status(), e.reply(), b.elements());
        queue.deadLetter(b, e.status(), e.reply());
        metrics.deadLettered(b.elements());
        failures = 0;
        forbiddenHead = -1;
    }

    /** Sleeps on the clock in short steps, so {@link #wake()} and {@link #close()} cut it short. */
    private void pause(Duration d) throws InterruptedException {
        metrics.senderBackoff(d);
        long deadline = clock.nanoTime() + d.toNanos();
        while (!closed && !wakeRequested) {
            long left = deadline - clock.nanoTime();
            if (left <= 0) {
                break;
            }
            clock.sleep(Duration.ofNanos(Math.min(left, STEP.toNanos())));
        }
        if (wakeRequested) {
            wakeRequested = false;
            failures = 0;
        }
    }
}
