package org.flamenco.worker.outbox;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Threads: producers call the capture methods; {@code fw-outbox-commit} ({@link Committer}) writes what they
 * captured, in capture order, a few milliseconds later; {@code fw-outbox-timer} ({@link ReleaseTimers}) fires the
 * throttle timers; the {@link Sender} reads and deletes through {@link #store()}. A status change is committed and
 * synced, with everything captured before it, before {@link #captureActivity} returns; other captures return once
 * queued for the committer, which blocks them while more than 8 MiB is uncommitted.
 *
 * <p>Shutdown order: stop producing, {@link Sender#flush}, close the {@link Sender}, then close this outbox.
 *
 * <p>One lock guards the in-memory state (sequence numbers, executions, release times). It is held while handing
 * ops to the committer so that sequence order and commit order agree; it is never held during a commit wait.
 */
public final class SqliteOutbox implements Outbox {
    private static final Logger log = LoggerFactory.getLogger(SqliteOutbox.class);
    private static final int KEEP_ENDED_EXECUTIONS = 32;
    private static final long POLL_MILLIS = 20;

    private final OutboxSettings settings;
    private final Clock clock;
    private final Path file;
    private final Connection writer;
    private final QueueStore store;
    private final Committer committer;
    private final LogChunk.Limits chunkLimits;
    private final ReleaseTimers timers;
    private final SnapshotJson json = new SnapshotJson();
    private final ReentrantLock lock = new ReentrantLock();
    private final Object deliveries = new Object();
    private final Map<String, ExecutionState> executions = new LinkedHashMap<>();
    private final String runId;
    private final String legacyNotice;
    private volatile Runnable commitListener = () -> { };
    private final ReleaseRules rules;
    private long nextSeq;
    private long executionCounter;
    private boolean closed;

    private SqliteOutbox(OutboxSettings settings, Clock clock, Connection writer, QueueStore store, long nextSeq,
                         long nextPushId, String legacyNotice, Duration commitLinger) {
        this.settings = settings;
        this.clock = clock;
        this.file = settings.dbFile();
        this.writer = writer;
        this.store = store;
        this.nextSeq = nextSeq;
        this.legacyNotice = legacyNotice;
        // Unique against every execution id still in the file: their elements all have a lower sequence number.
        this.runId = Long.toString(nextSeq, 36) + "." + Long.toString(micros(clock.now()), 36);
        this.chunkLimits = LogChunk.Limits.forRequests(settings.pushLogMaxEntries());
        this.committer = new Committer(writer, store.writeLock(), file, chunkLimits, commitLinger, this::afterCommit);
        store.reportWritesTo(committer::wroteElsewhere);
        this.timers = new ReleaseTimers(clock, this::onTimer);
        this.rules = new ReleaseRules(settings, clock, timers, nextPushId);
    }

    /**
     * Opens (or creates) the queue file and starts the committer and timer threads. Leftovers of an earlier run
     * become sendable at once (§13.7).
     *
     * @throws OutboxException when the file cannot be created or opened (the daemon exits 5)
     */
    public static SqliteOutbox open(OutboxSettings settings, Clock clock) throws OutboxException {
        return open(settings, clock, Committer.LINGER);
    }

    /** {@link #open(OutboxSettings, Clock)} with another commit linger (tests). */
    static SqliteOutbox open(OutboxSettings settings, Clock clock, Duration commitLinger) throws OutboxException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Path file = settings.dbFile();
        Connection writer = QueueDatabase.open(file, clock.now());
        try {
            String legacy = QueueDatabase.legacyRows(writer).filter(n -> n > 0)
                    .map(n -> file + " holds " + n + " updates queued by the Python worker; they cannot be delivered"
                            + " and are left untouched")
                    .orElse(null);
            if (legacy != null) {
                log.warn(legacy);
            }
            long nextSeq = 1 + QueueDatabase.queryLong(writer,
                    "SELECT coalesce(max(seq + lines - 1), 0) FROM task_update_outbox");
            long nextPush = 1 + QueueDatabase.queryLong(writer,
                    "SELECT coalesce(max(push_id), 0) FROM task_update_outbox");
            long leftovers = QueueDatabase.adoptLeftovers(writer, nextPush);
            if (leftovers > 0) {
                log.info("Update queue {} holds {} updates from an earlier run; sending them first", file, leftovers);
                nextPush++;
            }
            QueueStore store = new QueueStore(QueueDatabase.connect(file), new ReentrantLock(), file);
            SqliteOutbox outbox = new SqliteOutbox(settings, clock, writer, store, nextSeq, nextPush, legacy,
                    commitLinger);
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

    /** The settings this queue was opened with. */
    public OutboxSettings settings() {
        return settings;
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
            String id = runId + "-" + (++executionCounter);
            executions.put(id, new ExecutionState(taskId, id));
            return new ExecutionId(taskId, id);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void captureLog(ExecutionId execution, String line) throws OutboxException {
        Objects.requireNonNull(line, "line");
        List<Op> ops = new ArrayList<>(2);
        lock.lock();
        try {
            checkOpen();
            ExecutionState st = stateOf(execution);
            Instant now = clock.now();
            String text = LogLine.prefixed(now, line);
            long bytes = text.length() - line.length() + LogLine.utf8Length(line); // the prefix is ASCII
            if (captureOrOverflow(st, text, bytes, micros(now), ops)) {
                rules.onLog(st, ops);
            }
            enqueue(ops, true);
        } finally {
            lock.unlock();
        }
    }

    /**
     * As {@link #captureLog} for each line, under one lock and with one capture time: consecutive lines are written
     * straight into {@link LogChunk} rows (no op and no prefixed string per line), as long as the log stays under
     * {@code task_log_max_bytes}; a line that would reach the cap takes the per-line way of {@link #captureLog}.
     */
    @Override
    public void captureLogs(ExecutionId execution, List<String> lines) throws OutboxException {
        Objects.requireNonNull(lines, "lines");
        if (lines.isEmpty()) {
            return;
        }
        lines.forEach(line -> Objects.requireNonNull(line, "line")); // before anything is counted
        List<Op> ops = new ArrayList<>();
        lock.lock();
        try {
            checkOpen();
            ExecutionState st = stateOf(execution);
            Instant now = clock.now();
            long capturedMicros = micros(now);
            String stamp = LogLine.timestamp(now);
            String prefix = stamp + ": ";
            long cap = settings.taskLogMaxBytes();
            LogChunk chunk = null;
            int left = lines.size();
            for (String line : lines) {
                left--;
                long oneLine = LogLine.utf8LengthOfOneLine(line); // -1: the line holds a newline
                long bytes = prefix.length() + (oneLine >= 0 ? oneLine : LogLine.utf8Length(line));
                if (cap > 0 && (st.overflow != null || st.undeliveredLogBytes + bytes > cap)) {
                    chunk = null;
                    if (captureOrOverflow(st, prefix + line, bytes, capturedMicros, ops)) {
                        rules.onLog(st, ops);
                    }
                    continue;
                }
                if (oneLine < 0) {
                    // Its text after the newline has no prefix of its own: stored as sent, in a row of its own.
                    chunk = null;
                    insertLog(st, prefix + line, bytes, capturedMicros, ops);
                } else {
                    long seq = claimSeq(st, Op.Kind.LOG);
                    st.undeliveredLogBytes += bytes;
                    if (chunk == null || !chunk.append(seq, line, bytes)) {
                        // Rows end on a grid of the execution's lines, so consecutive rows fill a request exactly;
                        // the capture time is stored once per row.
                        int grid = chunkLimits.maxLines();
                        int room = grid - (int) ((st.capturedLogLines - 1) % grid);
                        chunk = new LogChunk(new Op.Insert(seq, st.taskId, st.executionId, Op.Kind.LOG, st.silent,
                                false, false, line, bytes, capturedMicros), chunkLimits, room,
                                Math.min(room, left + 1), stamp);
                        ops.add(chunk);
                    }
                }
                if (rules.tooManyUnreleasedLines(st)) {
                    rules.release(st, ops, false);
                    chunk = null; // a row never spans a release
                }
            }
            rules.onLog(st, ops);
            enqueue(ops, true);
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
        lock.lock();
        try {
            checkOpen();
            ExecutionState st = stateOf(execution);
            statusChange = snapshot.taskStatus() != null && snapshot.taskStatus() != st.snapshot.taskStatus();
            st.snapshot = snapshot;
            if (st.silent) {
                return; // a silently aborting task sends log-only updates (protocol-v2.md §3.6)
            }
            boolean isFinal = statusChange && snapshot.taskStatus().isFinal();
            insert(st, Op.Kind.ACTIVITY, json.encode(snapshot), 0, statusChange, isFinal, micros(clock.now()), ops);
            rules.onActivity(st, statusChange, ops);
            ticket = enqueue(ops, true);
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
        lock.lock();
        try {
            checkOpen();
            ExecutionState st = stateOf(execution);
            rules.release(st, ops, false);
            st.silent = true;
            enqueue(ops, true);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void endExecution(ExecutionId execution) throws OutboxException {
        List<Op> ops = new ArrayList<>();
        long ticket;
        lock.lock();
        try {
            checkOpen();
            ExecutionState st = stateOf(execution);
            resumeAfterOverflow(st, ops, true);
            rules.release(st, ops, false);
            st.ended = true;
            timers.cancelFor(st.executionId);
            pruneEnded();
            ticket = enqueue(ops, true);
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
            for (ExecutionState st : executions.values()) {
                rules.release(st, ops, false);
            }
            ticket = enqueue(ops, true);
        } finally {
            lock.unlock();
        }
        awaitTicket(ticket);
    }

    @Override
    public QueueState state() {
        try {
            QueueStore.Counts c = store.counts();
            long pending = committer.pendingInserts();
            Duration age = Duration.ZERO;
            if (c.oldestMicros() >= 0) {
                age = Duration.ofNanos(Math.max(0, (micros(clock.now()) - c.oldestMicros()) * 1000));
            }
            return new QueueState(c.elements() + pending, c.pushes(), c.finalPending(), age, c.bytes());
        } catch (OutboxException e) {
            // Unknown state: report it as blocking, so no new task is fetched on top of a broken queue.
            log.error("Cannot read the update queue state", e);
            return new QueueState(-1, Integer.MAX_VALUE, true, Duration.ZERO);
        }
    }

    @Override
    public boolean awaitTaskDelivered(String taskId, Duration timeout) throws InterruptedException {
        return awaitCondition(timeout, () -> !store.hasSendable(taskId));
    }

    @Override
    public boolean awaitAllDelivered(Duration timeout) throws InterruptedException {
        return awaitCondition(timeout, store::isEmpty);
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
        try {
            long left = store.counts().elements();
            if (left > 0) {
                log.info("Update queue {} closed with {} undelivered updates; they are sent after the next start",
                        file, left);
            }
        } catch (OutboxException e) {
            log.warn("Cannot count what is left in the update queue {}", file, e);
        }
        store.close();
        QueueDatabase.closeQuietly(writer);
    }

    /** The sender's view of the file. */
    QueueStore store() {
        return store;
    }

    /** The committer (tests). */
    Committer committer() {
        return committer;
    }

    /** Called after each commit (the sender wakes up to look for sendable material). */
    void setCommitListener(Runnable listener) {
        this.commitListener = Objects.requireNonNull(listener, "listener");
    }

    /** The sender removed {@code logBytes} of an execution's log from the queue (delivered or dead-lettered). */
    void onRemoved(String executionId, long logBytes, boolean wholeExecution) {
        List<Op> ops = new ArrayList<>();
        lock.lock();
        try {
            ExecutionState st = executions.get(executionId);
            if (st != null && !closed) {
                st.undeliveredLogBytes = wholeExecution ? 0 : Math.max(0, st.undeliveredLogBytes - logBytes);
                if (resumeAfterOverflow(st, ops, false)) {
                    rules.onLog(st, ops);
                }
                enqueue(ops, false);
            }
        } catch (OutboxException e) {
            log.error("Cannot capture the kept log tail of task {}", executionId, e);
        } finally {
            lock.unlock();
        }
        synchronized (deliveries) {
            deliveries.notifyAll();
        }
    }

    private void onTimer(ReleaseTimers.Slot slot, String executionId) {
        List<Op> ops = new ArrayList<>(1);
        lock.lock();
        try {
            ExecutionState st = executions.get(executionId);
            if (closed || st == null || st.ended) {
                return; // its material was released when it ended, or shutdown has begun
            }
            rules.release(st, ops, false);
            enqueue(ops, true);
        } catch (OutboxException e) {
            log.error("Cannot release captured updates of execution {}", executionId, e);
        } finally {
            lock.unlock();
        }
    }

    private boolean captureOrOverflow(ExecutionState st, String text, long bytes, long capturedMicros,
                                      List<Op> ops) {
        long cap = settings.taskLogMaxBytes();
        if (cap > 0) {
            resumeAfterOverflow(st, ops, false);
            if (st.overflow == null && st.undeliveredLogBytes + bytes > cap) {
                log.warn("Task {} has more than {} bytes of undelivered log; keeping only its head and its last"
                        + " lines until the Manager catches up", st.taskId, cap);
                st.overflow = new LogOverflow(cap);
            }
            if (st.overflow != null) {
                st.overflow.add(text, bytes);
                return false;
            }
        }
        insertLog(st, text, bytes, capturedMicros, ops);
        return true;
    }

    /** Leaves overflow when the backlog fell below half the cap (or {@code force}): marker line, then the tail. */
    private boolean resumeAfterOverflow(ExecutionState st, List<Op> ops, boolean force) {
        long cap = settings.taskLogMaxBytes();
        if (st.overflow == null || (!force && st.undeliveredLogBytes >= cap / 2)) {
            return false;
        }
        Instant now = clock.now();
        String marker = LogLine.prefixed(now, st.overflow.marker(cap));
        insertLog(st, marker, LogLine.utf8Length(marker), micros(now), ops);
        List<String> tail = st.overflow.tail();
        List<Long> sizes = st.overflow.tailSizes();
        for (int i = 0; i < tail.size(); i++) {
            insertLog(st, tail.get(i), sizes.get(i), micros(now), ops);
        }
        st.overflow = null;
        log.info("Task {} log capture resumed after overflow", st.taskId);
        return true;
    }

    /** Captures one log line of {@code bytes} UTF-8 bytes (counted against {@code task_log_max_bytes}). */
    private void insertLog(ExecutionState st, String text, long bytes, long capturedMicros, List<Op> ops) {
        insert(st, Op.Kind.LOG, text, bytes, false, false, capturedMicros, ops);
        st.undeliveredLogBytes += bytes;
    }

    private void insert(ExecutionState st, Op.Kind kind, String payload, long logBytes, boolean statusChange,
                        boolean isFinal, long capturedMicros, List<Op> ops) {
        long seq = claimSeq(st, kind);
        ops.add(new Op.Insert(seq, st.taskId, st.executionId, kind, st.silent, statusChange, isFinal, payload,
                logBytes, capturedMicros));
    }

    /** The sequence number of the execution's next element, counted as captured and not yet released. */
    private long claimSeq(ExecutionState st, Op.Kind kind) {
        long seq = nextSeq++;
        if (st.firstUnreleasedSeq < 0) {
            st.firstUnreleasedSeq = seq;
        }
        st.lastSeq = seq;
        st.unreleased++;
        if (kind == Op.Kind.LOG) {
            st.unreleasedLogLines++;
            st.capturedLogLines++;
        }
        return seq;
    }

    private long enqueue(List<Op> ops, boolean mayBlock) throws OutboxException {
        if (ops.isEmpty()) {
            return committer.lastTicket();
        }
        try {
            return committer.enqueue(ops, mayBlock);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxException("interrupted while capturing into update queue " + file, e);
        }
    }

    private void awaitTicket(long ticket) throws OutboxException {
        try {
            committer.awaitCommitted(ticket);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxException("interrupted while committing to update queue " + file, e);
        }
    }

    private ExecutionState stateOf(ExecutionId execution) {
        Objects.requireNonNull(execution, "execution");
        ExecutionState st = executions.get(execution.executionId());
        if (st == null) {
            // Not begun in this run (or long ended): its material is bound to it and released at once.
            st = new ExecutionState(execution.taskId(), execution.executionId());
            st.ended = true;
            executions.put(st.executionId, st);
            pruneEnded();
        }
        return st;
    }

    private void pruneEnded() {
        long ended = executions.values().stream().filter(s -> s.ended).count();
        Iterator<ExecutionState> it = executions.values().iterator();
        while (ended > KEEP_ENDED_EXECUTIONS && it.hasNext()) {
            ExecutionState s = it.next();
            if (s.ended && s.overflow == null) {
                it.remove();
                ended--;
            }
        }
    }

    private void checkOpen() throws OutboxException {
        if (closed) {
            throw new OutboxException("update queue " + file + " is closed", null);
        }
    }

    private void afterCommit() {
        commitListener.run();
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
                synchronized (deliveries) {
                    // An event wait with a short poll: deliveries notify; the deadline is measured on the clock.
                    deliveries.wait(POLL_MILLIS);
                }
            }
        } catch (OutboxException e) {
            log.error("Cannot read the update queue {}", file, e);
            return false;
        }
    }

    static long micros(Instant t) {
        return TimeUnit.SECONDS.toMicros(t.getEpochSecond()) + t.getNano() / 1000;
    }
}
