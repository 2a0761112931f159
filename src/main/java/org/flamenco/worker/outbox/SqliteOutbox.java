package org.flamenco.worker.outbox;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.ExecutionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite update queue (worker-behaviour.md §12–§13): capture, the release rules and the log size limit.
 *
 * <pre>
 *  producers ──capture──► Capturer ──ops──► Committer ──► file ──► DeliveryQueue ──► Sender ──► Manager
 *                            ▲   (fw-outbox-commit)                     │ removed log bytes
 *                            └── resume after overflow ◄── LogBacklog ◄─┘
 * </pre>
 *
 * <p>Threads: producers call the capture methods; {@code fw-outbox-commit} ({@link Committer}) writes what they
 * captured, in capture order, a few milliseconds later, and resumes an overflowing log once deliveries made room;
 * {@code fw-outbox-timer} ({@link ReleaseTimers}) fires the throttle timers; the {@link Sender} reads and settles
 * groups through the {@link DeliveryQueue} it gets from {@link #deliveryQueue()}, and never calls back into this
 * class. A status change is committed and synced, with everything captured before it, before
 * {@link #captureActivity} returns; other captures return once queued for the committer. While more than 8 MiB is
 * uncommitted, captures wait for room before they take the lock.
 *
 * <p>Shutdown order: stop producing, {@link Sender#flush}, close the {@link Sender}, then close this outbox.
 *
 * <p>One lock guards the in-memory state (sequence numbers, executions, release times). It is held while handing
 * ops to the committer (which never blocks) so that sequence order and commit order agree; it is never held while
 * waiting for the committer, neither for room nor for a commit.
 */
public final class SqliteOutbox implements Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteOutbox.class);
    private static final long POLL_MILLIS = 20;

    private final Clock clock;
    private final Path file;
    private final Connection writer;
    private final QueueStore store;
    private final Committer committer;
    private final DeliveryQueue delivery;
    private final LogBacklog backlog;
    private final Capturer capture;
    private final ReleaseTimers timers;
    private final SnapshotJson json = new SnapshotJson();
    private final ReentrantLock lock = new ReentrantLock();
    private final Executions executions;
    private final String legacyNotice;
    private final ReleaseRules rules;
    private boolean closed;

    private SqliteOutbox(OutboxSettings settings, Clock clock, Connection writer, Connection reader, long nextSeq,
                         long nextPushId, String legacyNotice, Committer.Tuning tuning) {
        this.clock = clock;
        this.file = settings.dbFile();
        this.writer = writer;
        this.legacyNotice = legacyNotice;
        LogChunk.Limits chunkLimits = LogChunk.Limits.forRequests(settings.pushLogMaxEntries());
        ReentrantLock writeTurn = new ReentrantLock();
        SendableSignal sendable = new SendableSignal();
        this.committer = new Committer(writer, writeTurn, file, chunkLimits, tuning, clock, sendable::raise,
                this::resumeDrained);
        this.store = new QueueStore(reader, writeTurn, file, committer::wroteElsewhere);
        this.backlog = new LogBacklog(settings.taskLogMaxBytes(), committer::resumeDue);
        this.delivery = new DeliveryQueue(store, backlog, sendable, settings.pushLogMaxEntries(),
                committer::pendingInserts, clock);
        this.timers = new ReleaseTimers(clock, this::onTimer);
        this.rules = new ReleaseRules(settings, clock, timers, nextPushId);
        this.capture = new Capturer(settings.taskLogMaxBytes(), clock, chunkLimits, rules, backlog, nextSeq);
        // Unique against every execution id still in the file: their elements all have a lower sequence number.
        this.executions = new Executions(backlog, Long.toString(nextSeq, 36) + "." + Long.toString(
                micros(clock.now()), 36));
    }

    /**
     * Opens (or creates) the queue file and starts the committer and timer threads. Leftovers of an earlier run
     * become sendable at once (§13.7).
     *
     * @throws OutboxException when the file cannot be created or opened (the daemon exits 5)
     */
    public static SqliteOutbox open(OutboxSettings settings, Clock clock) throws OutboxException {
        return open(settings, clock, Committer.Tuning.DEFAULT);
    }

    /** {@link #open(OutboxSettings, Clock)} with another commit linger and checkpoint size. */
    static SqliteOutbox open(OutboxSettings settings, Clock clock, Committer.Tuning tuning) throws OutboxException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Path file = settings.dbFile();
        Connection writer = QueueDatabase.open(file, clock.now());
        try {
            String legacy = QueueDatabase.legacyNotice(writer, file).orElse(null);
            QueueDatabase.Position at = QueueDatabase.resume(writer, file);
            SqliteOutbox outbox = new SqliteOutbox(settings, clock, writer, QueueDatabase.connect(file), at.nextSeq(),
                    at.nextPush(), legacy, tuning);
            outbox.committer.start();
            outbox.timers.start();
            return outbox;
        } catch (SQLException e) {
            QueueDatabase.closeQuietly(writer);
            throw new OutboxException("cannot open update queue " + file + ": " + e.getMessage(), e);
        }
    }

    /** The legacy-table report of §13.1, when the Python worker's table holds rows. */
    public Optional<String> legacyNotice() {
        return Optional.ofNullable(legacyNotice);
    }

    /** The file this queue lives in. */
    public Path file() {
        return file;
    }

    /** Blocks until everything captured so far is committed (survives a killed process). */
    public void awaitCommitted() throws OutboxException, InterruptedException {
        committer.awaitCommitted(committer.lastTicket());
    }

    @Override
    public ExecutionId beginExecution(String taskId) throws OutboxException {
        Objects.requireNonNull(taskId, "taskId");
        lock.lock();
        try {
            checkOpen();
            return executions.begin(taskId);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void captureLog(ExecutionId execution, String line) throws OutboxException {
        Objects.requireNonNull(line, "line");
        List<Op> ops = new ArrayList<>(2);
        awaitRoom();
        lock.lock();
        try {
            checkOpen();
            capture.line(executions.of(execution), line, ops);
            enqueue(ops);
        } finally {
            lock.unlock();
        }
    }

    /**
     * As {@link #captureLog} for each line, under one lock and with one capture time (see
     * {@link Capturer#lines}).
     */
    @Override
    public void captureLogs(ExecutionId execution, List<String> lines) throws OutboxException {
        Objects.requireNonNull(lines, "lines");
        if (lines.isEmpty()) {
            return;
        }
        lines.forEach(line -> Objects.requireNonNull(line, "line")); // before anything is counted
        List<Op> ops = new ArrayList<>();
        awaitRoom();
        lock.lock();
        try {
            checkOpen();
            capture.lines(executions.of(execution), lines, ops);
            enqueue(ops);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void captureActivity(ExecutionId execution, ActivitySnapshot snapshot) throws OutboxException {
        Objects.requireNonNull(snapshot, "snapshot");
        List<Op> ops = new ArrayList<>(2);
        long ticket;
        boolean statusChange;
        awaitRoom();
        lock.lock();
        try {
            checkOpen();
            ExecutionState st = executions.of(execution);
            statusChange = snapshot.taskStatus() != null && snapshot.taskStatus() != st.snapshot.taskStatus();
            st.snapshot = snapshot;
            if (st.silent) {
                return; // a silently aborting task sends log-only updates (protocol-v2.md §3.6)
            }
            boolean isFinal = statusChange && snapshot.taskStatus().isFinal();
            capture.activity(st, json.encode(snapshot), statusChange, isFinal, ops);
            ticket = enqueue(ops);
        } finally {
            lock.unlock();
        }
        if (statusChange) {
            awaitTicket(ticket);
        }
    }

    @Override
    public void markSilentlyAborting(ExecutionId execution) throws OutboxException {
        List<Op> ops = new ArrayList<>(1);
        awaitRoom();
        lock.lock();
        try {
            checkOpen();
            ExecutionState st = executions.of(execution);
            rules.release(st, ops, false);
            st.silent = true;
            enqueue(ops);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void endExecution(ExecutionId execution) throws OutboxException {
        List<Op> ops = new ArrayList<>();
        long ticket;
        awaitRoom();
        lock.lock();
        try {
            checkOpen();
            ExecutionState st = executions.of(execution);
            capture.resume(st, ops, true);
            rules.release(st, ops, false);
            st.ended = true;
            timers.cancelFor(st.executionId);
            executions.pruneEnded();
            ticket = enqueue(ops);
        } finally {
            lock.unlock();
        }
        awaitTicket(ticket);
    }

    @Override
    public void releaseAll() throws OutboxException {
        List<Op> ops = new ArrayList<>();
        long ticket;
        lock.lock();
        try {
            checkOpen();
            for (ExecutionState st : executions.all()) {
                rules.release(st, ops, false);
            }
            ticket = enqueue(ops);
        } finally {
            lock.unlock();
        }
        awaitTicket(ticket);
    }

    @Override
    public QueueState state() {
        return delivery.state();
    }

    @Override
    public boolean awaitTaskDelivered(String taskId, Duration timeout) throws InterruptedException {
        return awaitCondition(timeout, () -> !delivery.hasSendable(taskId));
    }

    @Override
    public boolean awaitAllDelivered(Duration timeout) throws InterruptedException {
        return awaitCondition(timeout, delivery::isEmpty);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        timers.close();
        committer.close();
        long left = delivery.state().elements();
        if (left > 0) {
            LOG.info("Update queue {} closed with {} undelivered updates; they are sent after the next start", file,
                    left);
        }
        store.close();
        QueueDatabase.closeQuietly(writer);
    }

    /** The sender's side of this queue (package-private: only {@link Sender} delivers). */
    DeliveryQueue deliveryQueue() {
        return delivery;
    }

    /** The committer's resume step: logs in overflow whose backlog fell under the mark write their kept tail. */
    private void resumeDrained() {
        List<Op> ops = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            for (ExecutionState st : executions.all()) {
                if (capture.resume(st, ops, false)) {
                    rules.onLog(st, ops);
                }
            }
            enqueue(ops);
        } catch (OutboxException e) {
            LOG.error("Cannot capture the kept log tail of an overflowing task log", e);
        } finally {
            lock.unlock();
        }
    }

    private void onTimer(ReleaseTimers.Slot slot, String executionId) {
        List<Op> ops = new ArrayList<>(1);
        lock.lock();
        try {
            ExecutionState st = executions.find(executionId);
            if (closed || st == null || st.ended) {
                return; // its material was released when it ended, or shutdown has begun
            }
            rules.release(st, ops, false);
            enqueue(ops);
        } catch (OutboxException e) {
            LOG.error("Cannot release captured updates of execution {}", executionId, e);
        } finally {
            lock.unlock();
        }
    }

    /** Back-pressure, before the lock is taken: nobody waits for the committer while holding it. */
    private void awaitRoom() throws OutboxException {
        try {
            committer.awaitRoom();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxException("interrupted while capturing into update queue " + file, e);
        }
    }

    /** Hands {@code ops} to the committer (never blocks); returns the ticket that covers them. */
    private long enqueue(List<Op> ops) throws OutboxException {
        return ops.isEmpty() ? committer.lastTicket() : committer.enqueue(ops);
    }

    private void awaitTicket(long ticket) throws OutboxException {
        try {
            committer.awaitCommitted(ticket);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxException("interrupted while committing to update queue " + file, e);
        }
    }

    private void checkOpen() throws OutboxException {
        if (closed) {
            throw new OutboxException("update queue " + file + " is closed", null);
        }
    }

    private interface Check {
        boolean done() throws OutboxException;
    }

    private boolean awaitCondition(Duration timeout, Check check) throws InterruptedException {
        long deadline = clock.nanoTime() + timeout.toNanos();
        try {
            committer.awaitCommitted(committer.lastTicket());
            while (true) {
                if (check.done()) {
                    return true;
                }
                if (clock.nanoTime() - deadline >= 0) {
                    return false;
                }
                // An event wait with a short poll: removals notify; the deadline is measured on the clock.
                delivery.awaitRemoval(POLL_MILLIS);
            }
        } catch (OutboxException e) {
            LOG.error("Cannot read the update queue {}", file, e);
            return false;
        }
    }

    static long micros(Instant t) {
        return TimeUnit.SECONDS.toMicros(t.getEpochSecond()) + t.getNano() / 1000;
    }
}
