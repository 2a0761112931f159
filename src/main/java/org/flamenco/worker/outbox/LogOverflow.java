package org.flamenco.worker.outbox;

import java.util.ArrayDeque;
import java.util.List;

/**
 * An execution's log in overflow (worker-behaviour.md §13.8): lines are not captured; the most recent ones are kept
 * in a bounded tail, the rest are counted as dropped. Not thread-safe; guarded by the outbox lock.
 */
final class LogOverflow {
    static final long MAX_TAIL_BYTES = 1024L * 1024;

    private final long tailCap;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final ArrayDeque<Long> tailSizes = new ArrayDeque<>();
    private long tailBytes;
    private long droppedLines;
    private long droppedBytes;

    LogOverflow(long cap) {
        this.tailCap = Math.min(cap / 8, MAX_TAIL_BYTES);
    }

    /** Keeps {@code prefixedLine} in the tail, dropping the oldest tail lines beyond the tail cap. */
    void add(String prefixedLine, long bytes) {
        tail.addLast(prefixedLine);
        tailSizes.addLast(bytes);
        tailBytes += bytes;
        while (tailBytes > tailCap && !tail.isEmpty()) {
            tail.pollFirst();
            long dropped = tailSizes.pollFirst();
            tailBytes -= dropped;
            droppedLines++;
            droppedBytes += dropped;
        }
    }

    /** The marker line text (without timestamp), exactly as worker-behaviour.md §13.8 words it. */
    String marker(long cap) {
        return "flamenco-worker: " + droppedLines + " log lines (" + droppedBytes + " bytes) of this task were"
                + " dropped here because the Manager could not receive them in time (task_log_max_bytes = " + cap
                + ")";
    }

    List<String> tail() {
        return List.copyOf(tail);
    }

    List<Long> tailSizes() {
        return List.copyOf(tailSizes);
    }
}
