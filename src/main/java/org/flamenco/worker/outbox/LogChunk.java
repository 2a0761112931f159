package org.flamenco.worker.outbox;

/**
 * Consecutive log lines of one execution stored as one queue row: their texts joined with {@code \n} (exactly how
 * a request joins them, protocol-v2.md §4.6); the row's {@code seq} is the first line's and {@code lines} says how
 * many sequence numbers it covers. One row per line would cap capture at SQLite's per-row cost, far below what a
 * chatty render produces.
 *
 * <p>A burst of output lines captured at once ({@link SqliteOutbox#captureLogs}) is written into chunks by the
 * producer; the {@link Committer} grows the chunk at the tail of its queue while producers capture single lines, and
 * seals it when its thread takes the queue for a commit (so a line still waits at most one commit). A chunk never
 * spans a release (a release op follows it in the queue) and stays within {@link Limits}, so that the sender can
 * honour the per-request caps of worker-behaviour.md §12.3 without ever splitting a row. Not thread-safe: built by
 * one producer under the outbox lock or guarded by the committer lock until taken, then used by the committer thread
 * only.
 */
final class LogChunk implements Op {
    /** How large one chunk may grow: lines and UTF-16 chars of joined text. */
    record Limits(int maxLines, int maxChars) {
        /**
         * About a quarter of a request's line cap, at most 1000 lines and 64 Ki chars. When possible the line count
         * divides the request's cap, so that rows laid on a grid of that many lines of an execution (as
         * {@link SqliteOutbox#captureLogs} lays them) fill requests exactly.
         */
        static Limits forRequests(int pushLogMaxEntries) {
            int cap = Math.max(1, Math.min(1000, pushLogMaxEntries / 4));
            int lines = cap;
            for (int d = cap; d > cap / 2; d--) {
                if (pushLogMaxEntries % d == 0) {
                    lines = d;
                    break;
                }
            }
            return new Limits(lines, 64 * 1024);
        }
    }

    private final Op.Insert first;
    private final Limits limits;
    /** Lines this chunk may hold (at most {@link Limits#maxLines()}). */
    private final int capacity;
    private final StringBuilder text;
    private long lastSeq;
    private long logBytes;
    private int lines = 1;

    LogChunk(Op.Insert first, Limits limits) {
        this(first, limits, limits.maxLines(), 16);
    }

    /**
     * A chunk that takes at most {@code capacity} lines (1 to {@link Limits#maxLines()}), with room for about
     * {@code expectedLines} lines as long as the first.
     */
    LogChunk(Op.Insert first, Limits limits, int capacity, int expectedLines) {
        if (first.kind() != Op.Kind.LOG) {
            throw new IllegalArgumentException("a chunk holds log lines only");
        }
        if (capacity < 1 || capacity > limits.maxLines()) {
            throw new IllegalArgumentException("capacity " + capacity + " outside 1.." + limits.maxLines());
        }
        this.first = first;
        this.limits = limits;
        this.capacity = capacity;
        long expectedChars = (long) Math.max(1, expectedLines) * (first.payload().length() + 1);
        this.text = new StringBuilder((int) Math.min(limits.maxChars(), Math.max(256, expectedChars)));
        this.text.append(first.payload());
        this.lastSeq = first.seq();
        this.logBytes = first.logBytes();
    }

    /** Appends the line when it directly follows this chunk's last line and fits; false otherwise. */
    boolean add(Op.Insert next) {
        if (next.kind() != Op.Kind.LOG || next.seq() != lastSeq + 1 || next.silent() != first.silent()
                || !next.executionId().equals(first.executionId()) || lines >= capacity
                || text.length() + 1 + next.payload().length() > limits.maxChars()) {
            return false;
        }
        text.append('\n').append(next.payload());
        lastSeq = next.seq();
        logBytes += next.logBytes();
        lines++;
        return true;
    }

    /**
     * Appends a line of the same execution, captured with the {@code prefix} ({@code <timestamp>: }), when it fits;
     * false otherwise. The caller made sure it directly follows this chunk's last line.
     */
    boolean append(long seq, String prefix, String line, long bytes) {
        if (seq != lastSeq + 1 || lines >= capacity
                || text.length() + 1 + prefix.length() + line.length() > limits.maxChars()) {
            return false;
        }
        text.append('\n').append(prefix).append(line);
        lastSeq = seq;
        logBytes += bytes;
        lines++;
        return true;
    }

    /** The first line: task, execution, flags and capture time of the whole row. */
    Op.Insert first() {
        return first;
    }

    String payload() {
        return text.toString();
    }

    int lines() {
        return lines;
    }

    /** UTF-8 bytes of the lines' texts, without the joining newlines. */
    long logBytes() {
        return logBytes;
    }

    @Override
    public boolean sync() {
        return false;
    }

    @Override
    public long weight() {
        return 64L + 2L * text.length();
    }

    @Override
    public int count() {
        return lines;
    }

    @Override
    public int inserts() {
        return lines;
    }
}
