package org.flamenco.worker.outbox;

import java.time.Instant;
import java.util.List;

import org.flamenco.worker.clock.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns captured material into {@link Op}s for the {@link Committer}: sequence numbers, log rows on the request grid,
 * the log size limit with its overflow (worker-behaviour.md §13.8) and the release rules. Not thread-safe: the
 * {@link SqliteOutbox} calls it under its lock.
 */
final class Capturer {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteOutbox.class); // the outbox's log

    private final long cap;
    private final Clock clock;
    private final LogChunk.Limits chunkLimits;
    private final ReleaseRules rules;
    private final LogBacklog backlog;
    private long nextSeq;

    /**
     * @param cap      {@code task_log_max_bytes}; 0: no cap
     * @param nextSeq  the sequence number of the next captured element
     */
    Capturer(long cap, Clock clock, LogChunk.Limits chunkLimits, ReleaseRules rules, LogBacklog backlog,
             long nextSeq) {
        this.cap = cap;
        this.clock = clock;
        this.chunkLimits = chunkLimits;
        this.rules = rules;
        this.backlog = backlog;
        this.nextSeq = nextSeq;
    }

    /** One log line, stamped now. */
    void line(ExecutionState st, String line, List<Op> ops) {
        Instant now = clock.now();
        String text = LogLine.prefixed(now, line);
        long bytes = text.length() - line.length() + LogLine.utf8Length(line); // the prefix is ASCII
        if (captureOrOverflow(st, text, bytes, SqliteOutbox.micros(now), ops)) {
            rules.onLog(st, ops);
        }
    }

    /**
     * Lines with one capture time: consecutive lines are written straight into {@link LogChunk} rows (no op and no
     * prefixed string per line), as long as the log stays under the cap; a line that would reach it takes the
     * per-line way of {@link #line}.
     */
    void lines(ExecutionState st, List<String> lines, List<Op> ops) {
        Instant now = clock.now();
        long capturedMicros = SqliteOutbox.micros(now);
        String stamp = LogLine.timestamp(now);
        String prefix = stamp + ": ";
        long backlogBytes = st.backlog.bytes();
        long added = 0; // bytes of rows added by this call, counted into the backlog at the end
        LogChunk chunk = null;
        int left = lines.size();
        for (String line : lines) {
            left--;
            long oneLine = LogLine.utf8LengthOfOneLine(line); // -1: the line holds a newline
            long bytes = prefix.length() + (oneLine >= 0 ? oneLine : LogLine.utf8Length(line));
            if (cap > 0 && (st.overflow != null || backlogBytes + added + bytes > cap)) {
                st.backlog.add(added);
                added = 0;
                backlogBytes = st.backlog.bytes();
                chunk = null;
                if (captureOrOverflow(st, prefix + line, bytes, capturedMicros, ops)) {
                    rules.onLog(st, ops);
                }
                backlogBytes = st.backlog.bytes();
                continue;
            }
            if (oneLine < 0) {
                // Its text after the newline has no prefix of its own: stored as sent, in a row of its own.
                chunk = null;
                insert(st, Op.Kind.LOG, prefix + line, bytes, false, false, capturedMicros, ops);
            } else {
                long seq = claimSeq(st, Op.Kind.LOG);
                if (chunk == null || !chunk.append(seq, line, bytes)) {
                    chunk = newChunk(st, seq, line, bytes, capturedMicros, stamp, left);
                    ops.add(chunk);
                }
            }
            added += bytes;
            if (rules.tooManyUnreleasedLines(st)) {
                rules.release(st, ops, false);
                chunk = null; // a row never spans a release
            }
        }
        st.backlog.add(added);
        rules.onLog(st, ops);
    }

    /** An activity snapshot's element (nothing for a silently aborting task, see the caller). */
    void activity(ExecutionState st, String payload, boolean statusChange, boolean isFinal, List<Op> ops) {
        insert(st, Op.Kind.ACTIVITY, payload, 0, statusChange, isFinal, SqliteOutbox.micros(clock.now()), ops);
        rules.onActivity(st, statusChange, ops);
    }

    /**
     * Leaves overflow when the backlog fell below half the cap (or {@code force}): marker line, then the kept tail.
     *
     * @return true when it did (the caller applies the log release rule)
     */
    boolean resume(ExecutionState st, List<Op> ops, boolean force) {
        if (st.overflow == null || (!force && !backlog.belowResumeMark(st.backlog))) {
            return false;
        }
        Instant now = clock.now();
        long micros = SqliteOutbox.micros(now);
        String marker = LogLine.prefixed(now, st.overflow.marker(cap));
        insertLog(st, marker, LogLine.utf8Length(marker), micros, ops);
        List<String> tail = st.overflow.tail();
        List<Long> sizes = st.overflow.tailSizes();
        for (int i = 0; i < tail.size(); i++) {
            insertLog(st, tail.get(i), sizes.get(i), micros, ops);
        }
        st.overflow = null;
        st.backlog.setOverflowing(false);
        LOG.info("Task {} log capture resumed after overflow", st.taskId);
        return true;
    }

    /** The sequence number the next captured element gets. */
    long nextSeq() {
        return nextSeq;
    }

    private LogChunk newChunk(ExecutionState st, long seq, String line, long bytes, long capturedMicros,
                              String stamp, int linesLeft) {
        // Rows end on a grid of the execution's lines, so consecutive rows fill a request exactly; the capture time
        // is stored once per row.
        int grid = chunkLimits.maxLines();
        int room = grid - (int) ((st.capturedLogLines - 1) % grid);
        return new LogChunk(new Op.Insert(seq, st.taskId, st.executionId, Op.Kind.LOG, st.silent, false, false, line,
                bytes, capturedMicros), chunkLimits, room, Math.min(room, linesLeft + 1), stamp);
    }

    private boolean captureOrOverflow(ExecutionState st, String text, long bytes, long capturedMicros,
                                      List<Op> ops) {
        if (cap > 0) {
            resume(st, ops, false);
            if (st.overflow == null && st.backlog.bytes() + bytes > cap) {
                LOG.warn("Task {} has more than {} bytes of undelivered log; keeping only its head and its last"
                        + " lines until the Manager catches up", st.taskId, cap);
                st.overflow = new LogOverflow(cap);
                st.backlog.setOverflowing(true);
            }
            if (st.overflow != null) {
                st.overflow.add(text, bytes);
                return false;
            }
        }
        insertLog(st, text, bytes, capturedMicros, ops);
        return true;
    }

    /** Captures one log line of {@code bytes} UTF-8 bytes (counted against {@code task_log_max_bytes}). */
    private void insertLog(ExecutionState st, String text, long bytes, long capturedMicros, List<Op> ops) {
        insert(st, Op.Kind.LOG, text, bytes, false, false, capturedMicros, ops);
        st.backlog.add(bytes);
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
}
