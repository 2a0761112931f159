package org.flamenco.worker.outbox;

import java.util.List;

import org.flamenco.worker.clock.Clock;

/**
 * The push rules of worker-behaviour.md §12.2: when captured material becomes sendable. The last activity and log
 * release times start at worker start and carry over from task to task. Not thread-safe: guarded by the outbox lock.
 */
final class ReleaseRules {
    private final OutboxSettings settings;
    private final Clock clock;
    private final ReleaseTimers timers;
    private long nextPushId;
    private long lastActivityRelease;
    private long lastLogRelease;

    ReleaseRules(OutboxSettings settings, Clock clock, ReleaseTimers timers, long nextPushId) {
        this.settings = settings;
        this.clock = clock;
        this.timers = timers;
        this.nextPushId = nextPushId;
        this.lastActivityRelease = clock.nanoTime();
        this.lastLogRelease = lastActivityRelease;
    }

    /** An activity snapshot was captured; {@code statusChange} when its task status differs from the last one. */
    void onActivity(ExecutionState st, boolean statusChange, List<Op> ops) {
        if (statusChange || st.ended) {
            release(st, ops, statusChange);
        } else if (clock.nanoTime() - lastActivityRelease > settings.pushActMaxInterval().toNanos()) {
            release(st, ops, false);
        } else {
            timers.setIfIdle(ReleaseTimers.Slot.ACTIVITY, settings.pushActMaxInterval(), st.executionId);
        }
    }

    /** A log line was captured. */
    void onLog(ExecutionState st, List<Op> ops) {
        if (st.ended || tooManyUnreleasedLines(st)) {
            release(st, ops, false); // late lines of an ended execution have no timer to wait for
        } else if (clock.nanoTime() - lastLogRelease > settings.pushLogMaxInterval().toNanos()) {
            release(st, ops, false);
        } else {
            timers.setIfIdle(ReleaseTimers.Slot.LOG, settings.pushLogMaxInterval(), st.executionId);
        }
    }

    /** More log lines wait than one push may hold: release now. */
    boolean tooManyUnreleasedLines(ExecutionState st) {
        return st.unreleasedLogLines > settings.pushLogMaxEntries();
    }

    /**
     * A release: everything captured for the execution becomes sendable as one push; {@code sync} when it carries a
     * status change that must reach the disk before the producer goes on.
     */
    void release(ExecutionState st, List<Op> ops, boolean sync) {
        long now = clock.nanoTime();
        lastActivityRelease = now;
        timers.cancel(ReleaseTimers.Slot.ACTIVITY);
        if (st.unreleasedLogLines > 0) {
            lastLogRelease = now;
            timers.cancel(ReleaseTimers.Slot.LOG);
        }
        if (st.unreleased > 0) {
            ops.add(new Op.Release(st.executionId, st.firstUnreleasedSeq, st.lastSeq, nextPushId++, sync));
            st.unreleased = 0;
            st.unreleasedLogLines = 0;
            st.firstUnreleasedSeq = -1;
        }
    }
}
