package org.flamenco.worker.outbox;

/**
 * Consecutive log lines of one execution stored as one queue row: their texts joined with {@code \n} (exactly how
 * a request joins them, protocol-v2.md §4.6; lines of one capture time hold their timestamp once, see
 * {@link #stamp()}); the row's {@code seq} is the first line's and {@code lines} says how
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
    /** The capture time all lines share, held once (null: each line carries its own prefix). */
    private final String stamp;
    private final StringBuilder text;
    private long lastSeq;
    private long logBytes;
    private int lines = 1;

    LogChunk(Op.Insert first, Limits limits) {
        this(first, limits, limits.maxLines(), 16, null);
    }

    /**
     * A chunk that takes at most {@code capacity} lines (1 to {@link Limits#maxLines()}), with room for about
     * {@code expectedLines} lines as long as the first. With a {@code stamp} (the capture time all its lines share)
     * the lines, the first one's payload included, are held without their {@code "<stamp>: "} prefix, which the
     * row stores once (QueueDatabase#LOG_TEXT puts it back in front of each line); such a chunk grows by
     * {@link #append} only.
     */
    LogChunk(Op.Insert first, Limits limits, int capacity, int expectedLines, String stamp) {
        if (first.kind() != Op.Kind.LOG) {
            throw new IllegalArgumentException("a chunk holds log lines only");
        }
        if (capacity < 1 || capacity > limits.maxLines()) {
            throw new IllegalArgumentException("capacity " + capacity + " outside 1.." + limits.maxLines());
        }
        this.first = first;
        this.limits = limits;
        this.capacity = capacity;
        this.stamp = stamp;
        long expectedChars = (long) Math.max(1, expectedLines) * (first.payload().length() + 1);
        this.text = new StringBuilder((int) Math.min(limits.maxChars(), Math.max(256, expectedChars)));
        this.text.append(first.payload());
        this.lastSeq = first.seq();
        this.logBytes = first.logBytes();
    }

    /** Appends the line when it directly follows this chunk's last line and fits; false otherwise. */
    boolean add(Op.Insert next) {
        if (stamp != null || next.kind() != Op.Kind.LOG || next.seq() != lastSeq + 1 || next.silent() != first.silent()
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
     * Appends a line of the same execution and capture time (without its prefix; {@code bytes} counts it) when it
     * fits; false otherwise. The caller made sure it directly follows this chunk's last line and holds no newline.
     */
    boolean append(long seq, String line, long bytes) {
        if (stamp == null) {
            throw new IllegalStateException("only a chunk with a stamp takes lines without their prefix");
        }
        if (seq != lastSeq + 1 || lines >= capacity || text.length() + 1 + line.length() > limits.maxChars()) {
            return false;
        }
        text.append('\n').append(line);
        lastSeq = seq;
        logBytes += bytes;
        lines++;
        return true;
    }

    /** The first line: task, execution, flags and capture time of the whole row. */
    Op.Insert first() {
        return first;
    }

    /** The row's text as stored: without the per-line prefix when it has a {@link #stamp()}. */
    String payload() {
        return text.toString();
    }

    /** The capture time all lines share, or null when each line carries its own prefix. */
    String stamp() {
        return stamp;
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
