package org.flamenco.worker.outbox;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.flamenco.worker.model.ExecutionId;

/**
 * The executions the outbox knows in this run, oldest first, with the ended ones pruned to the newest
 * {@value #KEEP_ENDED}. Not thread-safe: guarded by the outbox lock.
 */
final class Executions {
    private static final int KEEP_ENDED = 32;

    private final Map<String, ExecutionState> byId = new LinkedHashMap<>();
    private final LogBacklog backlog;
    private final String runId;
    private long counter;

    /** @param runId unique against every execution id still in the queue file */
    Executions(LogBacklog backlog, String runId) {
        this.backlog = backlog;
        this.runId = runId;
    }

    /** A new execution of {@code taskId}. */
    ExecutionId begin(String taskId) {
        String id = runId + "-" + (++counter);
        byId.put(id, new ExecutionState(taskId, id, backlog.track(id)));
        return new ExecutionId(taskId, id);
    }

    /**
     * The state of {@code execution}; one not begun in this run (or long ended) gets an ended state, so its material
     * is bound to it and released at once.
     */
    ExecutionState of(ExecutionId execution) {
        Objects.requireNonNull(execution, "execution");
        ExecutionState st = byId.get(execution.executionId());
        if (st == null) {
            String id = execution.executionId();
            st = new ExecutionState(execution.taskId(), id, backlog.track(id));
            st.ended = true;
            byId.put(id, st);
            pruneEnded();
        }
        return st;
    }

    /** The state of {@code executionId}, or null when unknown. */
    ExecutionState find(String executionId) {
        return byId.get(executionId);
    }

    Collection<ExecutionState> all() {
        return byId.values();
    }

    /** Forgets the oldest ended executions beyond the newest {@value #KEEP_ENDED} (unless still in overflow). */
    void pruneEnded() {
        long ended = byId.values().stream().filter(s -> s.ended).count();
        Iterator<ExecutionState> it = byId.values().iterator();
        while (ended > KEEP_ENDED && it.hasNext()) {
            ExecutionState s = it.next();
            if (s.ended && s.overflow == null) {
                it.remove();
                backlog.forget(s.executionId);
                ended--;
            }
        }
    }
}
