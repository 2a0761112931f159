package org.flamenco.worker.agent;

import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.outbox.Outbox;
import org.flamenco.worker.outbox.QueueState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What must hold before the fetch loop asks for a task: the queue is not backed up and holds no undelivered final
 * status (worker-behaviour.md §13.6), rows left by an earlier run are delivered (§13.7), and the pre-task check
 * passes (§10). A check that fails schedules what comes next (a re-check soon, or the error state). Used by the
 * fetch-loop thread only.
 */
public final class FetchGate {
    private static final Logger LOG = LoggerFactory.getLogger(FetchGate.class);

    private final Outbox outbox;
    private final PreTaskCheck preTaskCheck;
    private final AgentStates states;
    private final WorkerTiming timing;
    private boolean leftoversChecked;
    private boolean backPressureLogged;

    public FetchGate(Outbox outbox, PreTaskCheck preTaskCheck, AgentStates states, WorkerTiming timing) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.preTaskCheck = Objects.requireNonNull(preTaskCheck, "preTaskCheck");
        this.states = Objects.requireNonNull(states, "states");
        this.timing = Objects.requireNonNull(timing, "timing");
    }

    /** True when the loop may fetch now; false when this fetch must wait (the next activity is scheduled). */
    boolean open() throws InterruptedException {
        QueueState queue = outbox.state();
        boolean leftovers = !leftoversChecked && queue.elements() > 0;
        if (queue.blocksFetching() || leftovers) {
            if (!backPressureLogged) {
                backPressureLogged = true;
                LOG.info("Not asking for a task until queued updates are delivered ({} elements, {} pushes{})",
                        queue.elements(), queue.undeliveredPushes(),
                        queue.finalStatusPending() ? ", a final task status among them" : "");
            }
            states.schedule(AgentStates.State.AWAKE, timing.queueRecheck());
            return false;
        }
        leftoversChecked = true;
        if (backPressureLogged) {
            backPressureLogged = false;
            LOG.info("Queued updates delivered; asking for work again");
        }
        if (!preTaskCheck.isEmpty()) {
            Optional<String> failure = preTaskCheck.run();
            if (failure.isPresent()) {
                LOG.error("Pre-task check failed: {}; retrying in {} s", failure.get(),
                        timing.errorState().toSeconds());
                states.errorIfAwake();
                return false;
            }
        }
        return true;
    }

    /** {@code queue <n> elements / <m> undelivered pushes}: a database query, never under a lock. */
    String describeQueue() {
        QueueState q = outbox.state();
        return "queue " + q.elements() + " elements / " + q.undeliveredPushes() + " undelivered pushes";
    }
}
