package org.flamenco.worker.outbox;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The ops queued for the {@link Committer} and what they weigh, in the order producers queued them. A log line that
 * directly follows the {@link LogChunk} at the tail joins it instead of becoming an op of its own, so a burst of
 * output is written as a few rows. Not thread-safe: the committer's lock guards every call.
 */
final class PendingOps {
    private final ArrayDeque<Op> queue = new ArrayDeque<>();
    private final LogChunk.Limits chunkLimits;
    /** Memory weight of the queued ops and of those taken but not yet {@link #settled}. */
    private long weight;
    /** Inserts queued or taken but not yet settled. */
    private long inserts;
    /** A release or an op to sync is queued. */
    private boolean urgent;

    PendingOps(LogChunk.Limits chunkLimits) {
        this.chunkLimits = chunkLimits;
    }

    void add(Op op) {
        if (op instanceof Op.Insert in && in.kind() == Op.Kind.LOG) {
            if (queue.peekLast() instanceof LogChunk tail) {
                long before = tail.weight();
                if (tail.add(in)) {
                    weight += tail.weight() - before;
                    inserts++;
                    return;
                }
            }
            op = new LogChunk(in, chunkLimits);
        }
        queue.add(op);
        weight += op.weight();
        inserts += op.inserts();
        urgent |= isUrgent(op);
    }

    /** Moves up to {@code max} ops into {@code batch}; they keep counting until {@link #settled}. */
    void takeInto(List<Op> batch, int max) {
        while (!queue.isEmpty() && batch.size() < max) {
            batch.add(queue.poll());
        }
        urgent = queue.stream().anyMatch(PendingOps::isUrgent);
    }

    /** The ops of {@code batch} were written, or lost: they no longer count. */
    void settled(List<Op> batch) {
        for (Op op : batch) {
            weight -= op.weight();
            inserts -= op.inserts();
        }
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long weight() {
        return weight;
    }

    long inserts() {
        return inserts;
    }

    /** Whether a release or an op to sync is queued: it ends lingering. */
    boolean urgent() {
        return urgent;
    }

    private static boolean isUrgent(Op op) {
        return op instanceof Op.Release || op.sync();
    }
}
