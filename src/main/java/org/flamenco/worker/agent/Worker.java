package org.flamenco.worker.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.DurationText;
import org.flamenco.worker.manager.CredentialsGuard;
import org.flamenco.worker.manager.FetchResult;
import org.flamenco.worker.manager.ManagerApi;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerOutcome;
import org.flamenco.worker.model.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch loop (worker-behaviour.md §7) on thread {@code fw-worker}, and the worker's entry points for signals,
 * Manager requests and shutdown. Its parts arrive wired by the daemon: the states in {@link AgentStates}, what
 * must hold before a fetch in {@link FetchGate}, the running task in {@link TaskSession}. Tasks run on this thread;
 * other threads (signals, may-i-run poller) only change state and stop the running task. Every wait is on the
 * clock ({@link AgentStates#awaitActivity}), so tests run the loop on a fake one.
 */
public final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final ManagerApi manager;
    private final CredentialsGuard guard;
    private final FetchGate gate;
    private final AgentStates states;
    private final TaskSession session;
    private final WorkerTiming timing;
    private final DoubleSupplier random;
    /** {@link #signOnRequested} chose the first state before {@link #start()} (both on the daemon's thread). */
    private boolean enteredAtSignOn;
    private final Thread thread;

    private int fetchFailures;
    private boolean asleepPollFailing;

    /** @param random the jitter of the fetch backoff */
    public Worker(ManagerApi manager, CredentialsGuard guard, FetchGate gate, AgentStates states, TaskSession session,
                  WorkerTiming timing, DoubleSupplier random) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.states = Objects.requireNonNull(states, "states");
        this.session = Objects.requireNonNull(session, "session");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.random = Objects.requireNonNull(random, "random");
        this.thread = new Thread(this::loop, "fw-worker");
    }

    /** Startup step 11 (the poller runs, a test-mode ack is queued): enter awake and fetch. */
    public void start() {
        if (!enteredAtSignOn) {
            states.startAwake();
        }
        thread.start();
    }

    /**
     * The Manager named the status to enter at sign-on (v3); applied as if it had requested it by 423. Called before
     * {@link #start()} (on the same thread), the loop begins in that state: its ack goes out before the first fetch.
     */
    public void signOnRequested(WorkerStatus status) {
        enteredAtSignOn = true;
        states.requested(status);
    }

    /** SIGUSR1: go to sleep; a running task is stopped and returned first (never cancelled). */
    public void sleepRequested() {
        session.sleepRequested();
    }

    /** SIGUSR2: wake up; a running task is not disturbed. */
    public void wakeRequested() {
        states.wake();
    }

    /**
     * Starts the clean shutdown (worker-behaviour.md §16 steps 1–2): no more fetching or polling, and a running
     * task is stopped ({@code forced}: its tree is killed without grace). Returns at once; use
     * {@link #awaitStopped} to wait for the loop to finish.
     */
    public void beginShutdown(boolean forced) {
        if (states.beginShutdown(forced)) {
            session.stopForShutdown(forced);
        }
    }

    /** Waits for the loop thread to end; true when it did within {@code timeout}. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        if (!thread.isAlive()) {
            return true;
        }
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    /** One line for status summaries (-v at shutdown, SIGIO). */
    public String describe() {
        return states.describe() + ", " + gate.describeQueue(); // a database query: never under the state lock
    }

    private void loop() {
        while (true) {
            AgentStates.State current;
            try {
                current = states.awaitActivity();
            } catch (InterruptedException e) {
                if (states.shuttingDown()) {
                    return;
                }
                continue;
            }
            if (current == AgentStates.State.SHUTTING_DOWN) {
                return;
            }
            try {
                switch (current) {
                    case AWAKE -> fetchIteration();
                    case ASLEEP -> asleepPoll();
                    case ERROR -> states.endError();
                    default -> throw new IllegalStateException("unexpected state " + current);
                }
            } catch (InterruptedException e) {
                if (states.shuttingDown()) {
                    return;
                }
                Thread.interrupted();
            } catch (RuntimeException e) {
                // Watchdog (§7.1): the loop never ends on its own; try again in a minute.
                LOG.error("Unhandled {} in the fetch loop: {}", e.getClass().getSimpleName(), e.getMessage(), e);
                states.schedule(current, timing.watchdog());
            }
        }
    }

    private void fetchIteration() throws InterruptedException {
        if (!gate.open()) {
            return;
        }
        FetchResult result;
        try {
            states.inManagerCall(true);
            result = manager.fetchTask();
        } catch (ManagerException e) {
            fetchFailed(e);
            return;
        } finally {
            states.inManagerCall(false);
        }
        if (fetchFailures > 0 && !(result instanceof FetchResult.NotAwake)) {
            LOG.info("Manager answered /task again after {} failed attempts", fetchFailures);
            fetchFailures = 0;
        }
        if (result instanceof FetchResult.Assigned assigned) {
            if (!states.is(AgentStates.State.AWAKE)) {
                LOG.info("Not starting task {}: the worker left the awake state meanwhile", assigned.task().id());
                return;
            }
            session.run(assigned.task());
        } else if (result instanceof FetchResult.StatusChangeRequested request) {
            states.requested(request.status());
        } else if (result instanceof FetchResult.NotAwake) {
            notAwake();
        } else {
            states.scheduleFetch(timing.noTask());
        }
    }

    /** The Manager does not think this worker is awake (v3 409): say so again, and ask again after a backoff. */
    private void notAwake() {
        fetchFailures++;
        if (fetchFailures == 1) {
            LOG.warn("The Manager does not consider this worker awake; announcing awake again");
        }
        states.announce(WorkerStatus.AWAKE);
        states.schedule(AgentStates.State.AWAKE, timing.fetchBackoff().delay(fetchFailures, random));
    }

    private void fetchFailed(ManagerException e) throws InterruptedException {
        if (e.isAuthFailure() && guard.onUnauthorized(timing.fetchBackoff().initial())) {
            states.schedule(AgentStates.State.AWAKE, Duration.ZERO);
            return;
        }
        fetchFailures++;
        Duration delay = Backoff.atLeast(timing.fetchBackoff().delay(fetchFailures, random), e.retryAfter());
        if (fetchFailures == 1) {
            if (e.outcome() == ManagerOutcome.REJECTED) {
                // v2 answers 406 when the worker supports no task types; nothing else on /task is REJECTED
                LOG.error("The Manager refuses to hand out tasks ({}); does this worker support no task types? "
                        + "check task_types", e.getMessage());
            } else {
                LOG.warn("Could not fetch a task ({}); retrying with backoff", e.getMessage());
            }
        } else {
            LOG.debug("Fetching a task failed again ({}); next try in {}", e.getMessage(),
                    DurationText.compact(delay));
        }
        states.schedule(AgentStates.State.AWAKE, delay);
    }

    private void asleepPoll() throws InterruptedException {
        Optional<WorkerStatus> requested;
        try {
            states.inManagerCall(true);
            requested = manager.statusChange();
        } catch (ManagerException e) {
            if (e.isAuthFailure()) {
                guard.onUnauthorized(Duration.ZERO);
            } else if (!asleepPollFailing) {
                asleepPollFailing = true;
                LOG.warn("Asking the Manager for a status change failed ({}); still asleep", e.getMessage());
            }
            states.schedule(AgentStates.State.ASLEEP, timing.asleepPoll());
            return;
        } finally {
            states.inManagerCall(false);
        }
        asleepPollFailing = false;
        if (!states.is(AgentStates.State.ASLEEP)) {
            return;
        }
        if (requested.isPresent()) {
            states.requested(requested.get());
        } else {
            states.schedule(AgentStates.State.ASLEEP, timing.asleepPoll());
        }
    }
}
