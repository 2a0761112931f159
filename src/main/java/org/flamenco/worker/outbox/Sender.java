package org.flamenco.worker.outbox;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
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
import org.flamenco.worker.model.LogText;
import org.flamenco.worker.model.TaskUpdate;
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
 * <p>Only the head group is ever sent, so nothing later goes out before it. Deletion happens after the outcome, in one
 * transaction. No lock is held while posting.
 *
 * <p>Read-ahead: while a request is with the Manager, the {@code fw-sender-read} thread reads the group that follows
 * it and escapes its log into JSON, so the next request is ready when the answer comes. It is used only when the
 * request was delivered (2xx); after any other outcome the head is read again.
 */
public final class Sender implements AutoCloseable {
    static final int MAX_FORBIDDEN = 5;
    static final long MAX_LOG_BYTES_PER_REQUEST = 1024L * 1024;
    static final Duration UNREACHABLE_WARNING = Duration.ofSeconds(60);
    private static final Duration STEP = Duration.ofMillis(50);
    private static final Logger log = LoggerFactory.getLogger(Sender.class);

    private final SqliteOutbox outbox;
    private final QueueStore store;
    private final ManagerApi api;
    private final CredentialsGuard guard;
    private final Clock clock;
    private final Backoff backoff;
    private final DoubleSupplier random;
    private final Consumer<String> onConflict;
    private final WorkerMetrics metrics;
    private final int maxLines;
    private final Thread thread;
    private final ExecutorService readAhead;
    private Future<Optional<Batch>> ahead;
    private boolean aheadUsable;
    private final Object signal = new Object();
    private boolean work = true;
    private volatile boolean closed;
    private volatile boolean wakeRequested;
    private int failures;
    private long forbiddenHead = -1;
    private int forbiddenCount;
    private long unreachableSince = -1;
    /** Accepted by the Manager but not yet removed from the queue (the removal failed). */
    private Batch acknowledged;
    private boolean unreachableWarned;
    private long recoveredAfterNanos = -1;
    private long deliveredSinceRecovery;
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
        this.store = outbox.store();
        this.api = Objects.requireNonNull(api, "api");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.random = Objects.requireNonNull(random, "random");
        this.onConflict = Objects.requireNonNull(onConflict, "onConflict");
        this.maxLines = outbox.settings().pushLogMaxEntries();
        this.thread = new Thread(this::run, "fw-sender");
        this.thread.setDaemon(true);
        this.readAhead = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fw-sender-read");
            t.setDaemon(true);
            return t;
        });
        outbox.setCommitListener(this::signalWork);
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
        signalWork();
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
            log.error("Cannot release the captured updates for the shutdown flush", e);
        }
        wake();
        return outbox.awaitAllDelivered(deadline);
    }

    /** Stops the thread within 10 s; undelivered updates stay queued. */
    @Override
    public void close() {
        closed = true;
        signalWork();
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("Update sender did not stop within 10 s");
        }
        readAhead.shutdownNow();
        try {
            if (!readAhead.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("Update sender's read-ahead did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long left = outbox.state().elements();
        if (left > 0) {
            log.info("Update sender stopped with {} updates still queued", left);
        }
    }

    private void signalWork() {
        synchronized (signal) {
            work = true;
            signal.notifyAll();
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
                log.error("Unexpected error while delivering task updates; retrying with backoff", e);
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
        Optional<Batch> next = takeAhead();
        if (next.isEmpty()) {
            next = nextBatch();
        }
        if (next.isEmpty()) {
            caughtUp();
            awaitWork();
        } else {
            deliver(next.get());
        }
    }

    private Optional<Batch> nextBatch() throws InterruptedException {
        try {
            synchronized (signal) {
                work = false; // anything committed after this read signals again
            }
            return store.nextBatch(maxLines, MAX_LOG_BYTES_PER_REQUEST);
        } catch (OutboxException e) {
            log.error("Cannot read the update queue; retrying", e);
            pause(backoff.delay(++failures, random));
            return Optional.empty();
        }
    }

    /** The group read ahead during the last request, if that request was delivered and the read found one. */
    private Optional<Batch> takeAhead() throws InterruptedException {
        Future<Optional<Batch>> f = ahead;
        boolean usable = aheadUsable;
        ahead = null;
        aheadUsable = false;
        if (f == null) {
            return Optional.empty();
        }
        if (!usable) {
            f.cancel(false);
            return Optional.empty();
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            log.debug("Reading ahead in the update queue failed; reading the head again", e.getCause());
            return Optional.empty();
        }
    }

    /** Starts reading the group after {@code b} (and escaping its log) while {@code b} is being sent. */
    private void startReadAhead(Batch b) {
        try {
            ahead = readAhead.submit(() -> {
                Optional<Batch> next = store.nextBatchAfter(b, maxLines, MAX_LOG_BYTES_PER_REQUEST);
                next.map(Batch::update).map(TaskUpdate::logText).ifPresent(LogText::json);
                return next;
            });
        } catch (RejectedExecutionException e) {
            ahead = null; // closing
        }
    }

    private void awaitWork() throws InterruptedException {
        synchronized (signal) {
            while (!work && !closed) {
                signal.wait();
            }
        }
    }

    private void deliver(Batch b) throws InterruptedException {
        try {
            if (b.undecodable() != null) {
                // Cannot be decoded from the database: it can never be sent.
                log.warn("Update {} of task {} cannot be decoded ({}); moved to the dead letters", b.firstSeq(),
                        b.taskId(), b.undecodable());
                removeAsDeadLetter(b, 0, b.undecodable());
                return;
            }
            if (dropped.contains(b.executionId())) {
                long n = store.dropExecution(b.executionId());
                outbox.onRemoved(b.executionId(), 0, true);
                log.debug("Dropped {} more updates of task {} (the Manager refused that execution)", n, b.taskId());
                return;
            }
            if (b.update() == null) {
                removeDelivered(b); // nothing to send (activity of a silently aborting task)
                return;
            }
            startReadAhead(b);
            try {
                api.postUpdate(b.update());
                accepted(b);
                aheadUsable = true;
            } catch (ManagerException e) {
                onFailure(b, e);
            }
        } catch (OutboxException e) {
            if (acknowledged != null) {
                log.error("Task {}: the Manager accepted an update but the queue cannot remove it ({}); retrying the"
                        + " removal, not the update", b.taskId(), e.getMessage());
            } else {
                log.error("Cannot update the queue for task {}; retrying", b.taskId(), e);
            }
            pause(backoff.delay(++failures, random));
        }
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
            log.info("Removed the delivered updates of task {} from the queue after all", b.taskId());
        } catch (OutboxException e) {
            log.debug("Still cannot remove delivered updates of task {}: {}", b.taskId(), e.getMessage());
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
        removeDelivered(b);
        metrics.updatesDelivered(b.elements());
        if (unreachableSince >= 0) {
            if (unreachableWarned) {
                recoveredAfterNanos = clock.nanoTime() - unreachableSince;
                deliveredSinceRecovery = 0;
            }
            unreachableSince = -1;
            unreachableWarned = false;
        }
        if (recoveredAfterNanos >= 0) {
            deliveredSinceRecovery += b.elements();
        }
        failures = 0;
        forbiddenHead = -1;
    }

    /** The outcome table of worker-behaviour.md §13.5, on the client's classification. */
    private void onFailure(Batch b, ManagerException e) throws OutboxException, InterruptedException {
        switch (e.outcome()) {
            case BAD_REPLY -> accepted(b); // the expected status; the body does not matter for an update
            case BUSY, TRANSIENT -> {
                // Keep it at the head, later material waits, back off (no sooner than a Retry-After asks).
                store.recordFailure(b, e.getMessage());
                noteUnreachable(e);
                pause(Backoff.atLeast(backoff.delay(++failures, random), e.retryAfter()));
            }
            case AUTH_FAILED -> {
                // Credentials guard: retry at once with new credentials, or back off inside its 10-minute window.
                store.recordFailure(b, e.getMessage());
                if (!guard.onUnauthorized()) {
                    pause(backoff.delay(++failures, random));
                }
            }
            case FORBIDDEN -> forbidden(b, e);
            case GONE, CONFLICT -> refusedExecution(b, e);
            case REJECTED -> deadLetter(b, e); // this request can never succeed; it must not block the queue
            default -> throw new IllegalStateException("unhandled outcome " + e.outcome());
        }
    }

    /** Transient on the Manager's side until proven otherwise: five tries, then dead-letter. */
    private void forbidden(Batch b, ManagerException e) throws OutboxException, InterruptedException {
        store.recordFailure(b, e.getMessage());
        forbiddenCount = forbiddenHead == b.firstSeq() ? forbiddenCount + 1 : 1;
        forbiddenHead = b.firstSeq();
        if (forbiddenCount >= MAX_FORBIDDEN) {
            deadLetter(b, e);
        } else {
            pause(backoff.delay(++failures, random));
        }
    }

    /** The task is gone or no longer ours: nothing of this execution can be accepted any more. */
    private void refusedExecution(Batch b, ManagerException e) throws OutboxException {
        long n = store.dropExecution(b.executionId());
        outbox.onRemoved(b.executionId(), 0, true);
        dropped.add(b.executionId());
        log.warn("Manager answered {} to an update of task {}: {}; dropped {} queued updates of that task",
                e.status(), b.taskId(), e.reply(), n);
        failures = 0;
        if (e.outcome() == ManagerOutcome.CONFLICT) {
            onConflict.accept(b.taskId());
        }
    }

    private void deadLetter(Batch b, ManagerException e) throws OutboxException {
        log.warn("Update of task {} refused with HTTP {}: {}; moved {} updates to the dead letters", b.taskId(),
                e.status(), e.reply(), b.elements());
        removeAsDeadLetter(b, e.status(), e.reply());
        failures = 0;
        forbiddenHead = -1;
    }

    private void removeDelivered(Batch b) throws OutboxException {
        store.delete(b);
        outbox.onRemoved(b.executionId(), b.logBytes(), false);
    }

    private void removeAsDeadLetter(Batch b, int status, String reply) throws OutboxException {
        String abbreviated = reply.length() <= 200 ? reply : reply.substring(0, 200);
        store.deadLetter(b, status, abbreviated, SqliteOutbox.micros(clock.now()));
        metrics.deadLettered(b.elements());
        outbox.onRemoved(b.executionId(), b.logBytes(), false);
    }

    private void noteUnreachable(ManagerException e) {
        if (e.outcome() != ManagerOutcome.TRANSIENT) {
            return;
        }
        long now = clock.nanoTime();
        if (unreachableSince < 0) {
            unreachableSince = now;
            return;
        }
        if (!unreachableWarned && now - unreachableSince >= UNREACHABLE_WARNING.toNanos()) {
            unreachableWarned = true;
            QueueState s = outbox.state();
            log.warn("Manager unreachable for {}; {} updates ({} pushes) queued, the oldest is {} old ({})",
                    human(now - unreachableSince), s.elements(), s.undeliveredPushes(), human(s.oldestAge().toNanos()),
                    e.getMessage());
        }
    }

    private void caughtUp() {
        if (recoveredAfterNanos >= 0) {
            log.info("Manager reachable again after {}; delivered {} queued updates", human(recoveredAfterNanos),
                    deliveredSinceRecovery);
            recoveredAfterNanos = -1;
        }
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

    static String human(long nanos) {
        long s = TimeUnit.NANOSECONDS.toSeconds(nanos);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
