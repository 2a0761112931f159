package org.flamenco.worker.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.manager.CredentialsGuard;
import org.flamenco.worker.manager.FetchResult;
import org.flamenco.worker.manager.ManagerApi;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerOutcome;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.model.WorkerStatus;
import org.flamenco.worker.outbox.Outbox;
import org.flamenco.worker.outbox.QueueState;
import org.flamenco.worker.task.TaskRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch loop (worker-behaviour.md §7) on thread {@code fw-worker}, and the worker's entry points for signals,
 * Manager requests and shutdown. The states live in {@link AgentStates}, the running task in {@link TaskSession}.
 * Tasks run on this thread; other threads (signals, may-i-run poller) only change state and stop the running task.
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final ManagerApi manager;
    private final Outbox outbox;
    private final PreTaskCheck preTaskCheck;
    private final CredentialsGuard guard;
    private final DoubleSupplier random;
    private final WorkerTiming timing;
    private final boolean testMode;
    private final Consumer<ShutdownCause> shutdownRequester;
    private final WorkerMetrics metrics;
    private final Acks acks;
    private final MayIRunPoller poller;
    private final AgentStates states;
    private final TaskSession session;
    /** {@link #signOnRequested} chose the first state before {@link #start()} (both on the daemon's thread). */
    private boolean enteredAtSignOn;
    private final Thread thread;

    private boolean leftoversChecked;
    private int fetchFailures;
    private boolean backPressureLogged;
    private boolean asleepPollFailing;

    /** {@code metrics} follows the state, the tasks, quarantine and the loop's life. */
    public Worker(ManagerApi manager, Outbox outbox, TaskRunner runner, PreTaskCheck preTaskCheck,
                  WorkerIdentity identity, CredentialsGuard guard, Clock clock, DoubleSupplier random,
                  WorkerTiming timing, WorkerMode mode, Consumer<ShutdownCause> shutdownRequester,
                  WorkerMetrics metrics) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.preTaskCheck = Objects.requireNonNull(preTaskCheck, "preTaskCheck");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.random = Objects.requireNonNull(random, "random");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.testMode = mode.testMode();
        this.shutdownRequester = Objects.requireNonNull(shutdownRequester, "shutdownRequester");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.acks = new Acks(manager, guard, clock, random);
        this.states = new AgentStates(clock, timing, acks, metrics);
        TaskSession[] late = new TaskSession[1];
        this.poller = new MayIRunPoller(manager, guard, clock, timing.mayIRunInterval(),
                (taskId, answer) -> late[0].revoked(taskId, answer));
        this.session = new TaskSession(states, runner, poller,
                new TaskReturner(manager, outbox, guard, identity, clock, random, timing),
                new Quarantine(mode.quarantineFastFailures()), identity, clock, timing, metrics, mode.singleTask(),
                shutdownRequester, this::applyRequestedStatus);
        late[0] = session;
        this.thread = new Thread(this::loop, "fw-worker");
    }

    /** Startup steps 9–11: start the poller, ack {@code testing} in test mode, enter awake and fetch. */
    public void start() {
        poller.start();
        if (testMode) {
            acks.ack(WorkerStatus.TESTING);
        }
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
        applyRequestedStatus(status);
    }

    /** The may-i-run poller learned of a 409 for {@code taskId} (update conflict): check at once. */
    public void conflictReported(String taskId) {
        poller.checkNow(taskId);
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
        QueueState q = outbox.state(); // a database query: never under the state lock
        return states.describe() + ", queue " + q.elements() + " elements / " + q.undeliveredPushes()
                + " undelivered pushes";
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
            metrics.loopHeartbeat();
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
        if (!readyToFetch()) {
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
            applyRequestedStatus(request.status());
        } else if (result instanceof FetchResult.NotAwake) {
            notAwake();
        } else {
            states.schedule(AgentStates.State.AWAKE, timing.noTask());
        }
    }

    /** Back-pressure, leftovers (§13.6, §13.7) and the pre-task check (§10); false when this fetch must wait. */
    private boolean readyToFetch() throws InterruptedException {
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
                LOG.error("Pre-task check failed: {}; retrying in {} s", failure.get(), timing.errorState().toSeconds());
                states.errorIfAwake();
                return false;
            }
        }
        return true;
    }

    /** The Manager does not think this worker is awake (v3 409): say so again, and ask again after a backoff. */
    private void notAwake() {
        fetchFailures++;
        if (fetchFailures == 1) {
            LOG.warn("The Manager does not consider this worker awake; announcing awake again");
        }
        acks.ack(WorkerStatus.AWAKE);
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
            LOG.debug("Fetching a task failed again ({}); next try in {} s", e.getMessage(),
                    Enrollment.seconds(delay));
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
            applyRequestedStatus(requested.get());
        } else {
            states.schedule(AgentStates.State.ASLEEP, timing.asleepPoll());
        }
    }

    private void applyRequestedStatus(WorkerStatus requested) {
        switch (requested) {
            case SHUTDOWN, OFFLINE -> {
                LOG.info("The Manager requested shutdown");
                states.hold(); // ask the Manager nothing more before the shutdown begins
                shutdownRequester.accept(ShutdownCause.MANAGER_REQUESTED);
            }
            case RESTART -> {
                LOG.info("The Manager requested a restart");
                states.hold();
                shutdownRequester.accept(ShutdownCause.RESTART_REQUESTED);
            }
            default -> states.apply(requested);
        }
    }

    @Override
    public void close() {
        poller.close();
        acks.close();
        preTaskCheck.close();
    }
}
