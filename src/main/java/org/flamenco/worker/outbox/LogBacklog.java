package org.flamenco.worker.outbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many UTF-8 bytes of each execution's log are still in the queue (worker-behaviour.md §13.8). Shared by the two
 * ends of the queue, so neither calls the other: capture adds (under the outbox lock), the {@link DeliveryQueue}
 * subtracts after it removed rows. When a removal brings an overflowing execution under half of
 * {@code task_log_max_bytes}, {@code onDrained} runs: it wakes the {@link Committer}, which has the outbox write the
 * kept tail of that log. Thread-safe.
 */
final class LogBacklog {
    private final long cap;
    private final Runnable onDrained;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** One execution's count; {@code overflowing} is set by capture while its log is in overflow. */
    static final class Entry {
        private final AtomicLong bytes = new AtomicLong();
        private volatile boolean overflowing;

        long bytes() {
            return bytes.get();
        }

        void add(long n) {
            if (n != 0) {
                bytes.addAndGet(n);
            }
        }

        boolean overflowing() {
            return overflowing;
        }

        void setOverflowing(boolean on) {
            overflowing = on;
        }
    }

    /**
     * @param cap       {@code task_log_max_bytes} (0: no cap, {@code onDrained} never runs)
     * @param onDrained runs on the removing thread; must not block
     */
    LogBacklog(long cap, Runnable onDrained) {
        this.cap = cap;
        this.onDrained = onDrained;
    }

    /** The entry of {@code executionId}, made on first use. */
    Entry track(String executionId) {
        return entries.computeIfAbsent(executionId, id -> new Entry());
    }

    /** Capture no longer needs the count of {@code executionId} (an ended execution was pruned). */
    void forget(String executionId) {
        entries.remove(executionId);
    }

    /** {@code bytes} of the execution's log left the queue (delivered or dead-lettered). */
    void removed(String executionId, long bytes) {
        Entry e = entries.get(executionId);
        if (e != null) {
            e.bytes.updateAndGet(b -> Math.max(0, b - bytes));
            drainedCheck(e);
        }
    }

    /** Everything of the execution left the queue (the Manager refused the execution). */
    void cleared(String executionId) {
        Entry e = entries.get(executionId);
        if (e != null) {
            e.bytes.set(0);
            drainedCheck(e);
        }
    }

    /** True when capture should leave overflow: the backlog fell below half the cap. */
    boolean belowResumeMark(Entry e) {
        return e.bytes() < cap / 2;
    }

    private void drainedCheck(Entry e) {
        if (cap > 0 && e.overflowing && belowResumeMark(e)) {
            onDrained.run();
        }
    }
}
