package org.flamenco.worker.agent;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.manager.CredentialsGuard;
import org.flamenco.worker.manager.FetchResult;
import org.flamenco.worker.manager.ManagerApi;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerOutcome;
import org.flamenco.worker.manager.MayKeepRunning;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.metrics.WorkerState;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.WorkerStatus;
import org.flamenco.worker.outbox.Outbox;
import org.flamenco.worker.outbox.QueueState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's state machine and fetch loop (worker-behaviour.md §6, §7), on thread {@code fw-worker}.
 *
 * <pre>
 *            423 asleep / SIGUSR1 / may-i-run no+asleep          pre-task check failed / request error
 *   AWAKE ─────────────────────────────────────────► ASLEEP     AWAKE ───────────────────────────► ERROR
 *     ▲  ◄──────────── status-change awake / SIGUSR2 ───┘          ▲ ◄──── 600 s elapsed / SIGUSR2 ───┘
 *     │                                                            ERROR ── SIGUSR1 ──► ASLEEP
 *   any state ── shutdown request / signal / --single done ──► SHUTTING_DOWN (final)
 * </pre>
 *
 * Exactly one activity exists at a time: the scheduled fetch (AWAKE), the status poll (ASLEEP) or the error timer
 * (ERROR), each represented by one deadline; entering a state replaces it. Tasks run on this thread; other threads
 * (signals, may-i-run poller) only change state under the lock and stop the running task through the
 * {@link TaskExecutor}.
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private enum State { AWAKE, ASLEEP, ERROR, SHUTTING_DOWN }

    /** A stop the loop must finish after the task returns: return the task, then apply a status. */
    private record PendingStop(Optional<WorkerStatus> statusRequested, String logLine) {
    }

    private final ManagerApi manager;
    private final Outbox outbox;
    private final TaskExecutor executor;
    private final PreTaskCheck preTaskCheck;
    private final WorkerIdentity identity;
    private final CredentialsGuard guard;
    private final Clock clock;
    private final DoubleSupplier random;
    private final WorkerTiming timing;
    private final boolean singleTask;
    private final boolean testMode;
    private final Consumer<ShutdownCause> shutdownRequester;
    private final Quarantine quarantine;
    private final Acks acks;
    private final MayIRunPoller poller;
    private final TaskReturner returner;
    private final Thread thread;
    private final WorkerMetrics metrics;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private State state = State.AWAKE;
    private long deadlineNanos;
    private String runningTaskId;
    private PendingStop pendingStop;
    /** SIGUSR1 arrived while a task ran: sleep after it, however it ended (it may have ended on its own). */
    private boolean sleepAfterTask;
    private boolean inManagerCall;
    private boolean leftoversChecked;
    private int fetchFailures;
    private boolean backPressureLogged;
    private boolean asleepPollFailing;
    /** {@link #signOnRequested} chose the first state (and its deadline) before {@link #start()}. */
    private boolean enteredAtSignOn;

    public Worker(ManagerApi manager, Outbox outbox, TaskExecutor executor, PreTaskCheck preTaskCheck,
                  WorkerIdentity identity, CredentialsGuard guard, Clock clock, DoubleSupplier random,
                  WorkerTiming timing, WorkerMode mode, Consumer<ShutdownCause> shutdownRequester) {
        this(manager, outbox, executor, preTaskCheck, identity, guard, clock, random, timing, mode, shutdownRequester,
                WorkerMetrics.NONE);
    }

    /** As the other constructor; {@code metrics} follows the state, the tasks, quarantine and the loop's life. */
    public Worker(ManagerApi manager, Outbox outbox, TaskExecutor executor, PreTaskCheck preTaskCheck,
                  WorkerIdentity identity, CredentialsGuard guard, Clock clock, DoubleSupplier random,
                  WorkerTiming timing, WorkerMode mode, Consumer<ShutdownCause> shutdownRequester,
                  WorkerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.manager = Objects.requireNonNull(manager, "manager");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.preTaskCheck = Objects.requireNonNull(preTaskCheck, "preTaskCheck");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.singleTask = mode.singleTask();
        this.testMode = mode.testMode();
        this.quarantine = new Quarantine(mode.quarantineFastFailures());
        this.shutdownRequester = Objects.requireNonNull(shutdownRequester, "shutdownRequester");
        this.acks = new Acks(manager, guard, clock, random);
        this.poller = new MayIRunPoller(manager, guard, clock, timing.mayIRunInterval(), this::revoked);
        this.returner = new TaskReturner(manager, outbox, guard, identity, clock, random, timing);
        this.thread = new Thread(this::loop, "fw-worker");
    }

    /** Startup steps 9–11: start the poller, ack {@code testing} in test mode, enter awake and fetch. */
    public void start() {
        poller.start();
        if (testMode) {
            acks.ack(WorkerStatus.TESTING);
        }
        lock.lock();
        try {
            if (!enteredAtSignOn) {
                deadlineNanos = clock.nanoTime();
                metrics.workerState(WorkerState.AWAKE);
            }
        } finally {
            lock.unlock();
        }
        thread.start();
    }

    /**
     * The Manager named the status to enter at sign-on (v3); applied as if it had requested it by 423. Called before
     * {@link #start()}, the loop begins in that state: its ack goes out before the first fetch or poll.
     */
    public void signOnRequested(WorkerStatus status) {
        lock.lock();
        try {
            enteredAtSignOn = true;
        } finally {
            lock.unlock();
        }
        applyRequestedStatus(status);
    }

    /** The may-i-run poller learned of a 409 for {@code taskId} (update conflict): check at once. */
    public void conflictReported(String taskId) {
        poller.checkNow(taskId);
    }

    /** SIGUSR1: go to sleep; a running task is stopped and returned first (never cancelled). */
    public void sleepRequested() {
        boolean stopTask = false;
        lock.lock();
        try {
            if (state == State.SHUTTING_DOWN) {
                return;
            }
            if (runningTaskId != null) {
                sleepAfterTask = true;
                if (pendingStop == null) {
                    // no requested status: sleepAfterTask does it, and the log does not blame the Manager
                    pendingStop = new PendingStop(Optional.empty(), "Worker " + identity.label()
                            + " stopped running this task because it was told to go to sleep (SIGUSR1)");
                    stopTask = true;
                }
            } else {
                enterAsleep();
            }
        } finally {
            lock.unlock();
        }
        if (stopTask) {
            LOG.info("Going to sleep: stopping the running task and returning it to the Manager");
            executor.stop(TaskExecutor.StopKind.RETURN);
        }
    }

    /** SIGUSR2: wake up; a running task is not disturbed. */
    public void wakeRequested() {
        lock.lock();
        try {
            if (state != State.SHUTTING_DOWN) {
                enterAwake(runningTaskId == null);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts the clean shutdown (worker-behaviour.md §16 steps 1–2): no more fetching or polling, and a running
     * task is stopped ({@code forced}: its tree is killed without grace). Returns at once; use
     * {@link #awaitStopped} to wait for the loop to finish.
     */
    public void beginShutdown(boolean forced) {
        boolean stopTask;
        lock.lock();
        try {
            boolean first = state != State.SHUTTING_DOWN;
            state = State.SHUTTING_DOWN;
            metrics.workerState(WorkerState.SHUTTING_DOWN);
            changed.signalAll();
            stopTask = runningTaskId != null && (first || forced);
            if (inManagerCall) {
                thread.interrupt(); // abandon a /task or /status-change call in flight (§16 step 1)
            }
        } finally {
            lock.unlock();
        }
        if (stopTask) {
            executor.stop(forced ? TaskExecutor.StopKind.FORCED : TaskExecutor.StopKind.SHUTDOWN);
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
        QueueState q = outbox.state(); // a database query: never under the lock
        State s;
        String task;
        lock.lock();
        try {
            s = state;
            task = runningTaskId;
        } finally {
            lock.unlock();
        }
        return "state " + s.name().toLowerCase(Locale.ROOT).replace('_', '-')
                + ", running task " + (task == null ? "none" : task)
                + ", queue " + q.elements() + " elements / " + q.undeliveredPushes() + " undelivered pushes";
    }

    private void loop() {
        while (true) {
            State current;
            lock.lock();
            try {
                while (state != State.SHUTTING_DOWN && clock.nanoTime() < deadlineNanos) {
                    metrics.loopWaitsUntil(deadlineNanos); // alive until then, without waking to say so
                    changed.awaitNanos(deadlineNanos - clock.nanoTime());
                }
                current = state;
            } catch (InterruptedException e) {
                if (isShuttingDown()) {
                    return;
                }
                continue;
            } finally {
                lock.unlock();
            }
            if (current == State.SHUTTING_DOWN) {
                return;
            }
            metrics.loopHeartbeat();
            try {
                switch (current) {
                    case AWAKE -> fetchIteration();
                    case ASLEEP -> asleepPoll();
                    case ERROR -> errorElapsed();
                    default -> throw new IllegalStateException("unexpected state " + current);
                }
            } catch (InterruptedException e) {
                if (isShuttingDown()) {
                    return;
                }
                Thread.interrupted();
            } catch (RuntimeException e) {
                // Watchdog (§7.1): the loop never ends on its own; try again in a minute.
                LOG.error("Unhandled {} in the fetch loop: {}", e.getClass().getSimpleName(), e.getMessage(), e);
                schedule(current, timing.watchdog());
            }
        }
    }

    private void fetchIteration() throws InterruptedException {
        QueueState queue = outbox.state();
        boolean leftovers = !leftoversChecked && queue.elements() > 0;
        if (queue.blocksFetching() || leftovers) {
            if (!backPressureLogged) {
                backPressureLogged = true;
                LOG.info("Not asking for a task until queued updates are delivered ({} elements, {} pushes{})",
                        queue.elements(), queue.undeliveredPushes(),
                        queue.finalStatusPending() ? ", a final task status among them" : "");
            }
            schedule(State.AWAKE, timing.queueRecheck());
            return;
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
                lock.lock();
                try {
                    if (state == State.AWAKE) {
                        enterError();
                    }
                } finally {
                    lock.unlock();
                }
                return;
            }
        }
        FetchResult result;
        try {
            setInManagerCall(true);
            result = manager.fetchTask();
        } catch (ManagerException e) {
            fetchFailed(e);
            return;
        } finally {
            setInManagerCall(false);
        }
        if (fetchFailures > 0) {
            LOG.info("Manager answered /task again after {} failed attempts", fetchFailures);
            fetchFailures = 0;
        }
        if (result instanceof FetchResult.Assigned assigned) {
            if (!isState(State.AWAKE)) {
                LOG.info("Not starting task {}: the worker left the awake state meanwhile", assigned.task().id());
                return;
            }
            runTask(assigned.task());
        } else if (result instanceof FetchResult.StatusChangeRequested request) {
            applyRequestedStatus(request.status());
        } else if (result instanceof FetchResult.NotAwake) {
            notAwake();
        } else {
            schedule(State.AWAKE, timing.noTask());
        }
    }

    /** The Manager does not think this worker is awake (v3 409): say so again, and ask again after a backoff. */
    private void notAwake() {
        fetchFailures++;
        if (fetchFailures == 1) {
            LOG.warn("The Manager does not consider this worker awake; announcing awake again");
        }
        acks.ack(WorkerStatus.AWAKE);
        schedule(State.AWAKE, timing.fetchBackoff().delay(fetchFailures, random));
    }

    private void fetchFailed(ManagerException e) throws InterruptedException {
        if (e.isAuthFailure() && guard.onUnauthorized()) {
            schedule(State.AWAKE, Duration.ZERO);
            return;
        }
        fetchFailures++;
        Duration delay = timing.fetchBackoff().delay(fetchFailures, random);
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
        schedule(State.AWAKE, delay);
    }

    private void runTask(Task task) throws InterruptedException {
        lock.lock();
        try {
            runningTaskId = task.id();
            pendingStop = null;
            sleepAfterTask = false;
        } finally {
            lock.unlock();
        }
        poller.watch(task.id());
        metrics.taskStarted(task.id());
        long started = clock.nanoTime();
        TaskResult result;
        PendingStop stop;
        boolean sleep;
        try {
            result = executor.execute(task);
        } finally {
            poller.unwatch();
            lock.lock();
            try {
                runningTaskId = null;
                stop = pendingStop;
                pendingStop = null;
                sleep = sleepAfterTask;
                sleepAfterTask = false;
            } finally {
                lock.unlock();
            }
        }
        LOG.info("Task {} ended: {}", task.id(), result.outcome().name().toLowerCase(Locale.ROOT));
        if (result.outcome() == TaskResult.Outcome.STOPPED && isShuttingDown()) {
            returner.logShutdownStop(result.execution());
        } else if (result.outcome() == TaskResult.Outcome.STOPPED && stop != null) {
            returner.returnTask(result.execution(), stop.logLine());
            stop.statusRequested().ifPresent(this::applyRequestedStatus);
        }
        metrics.taskFinished(result.outcome().name().toLowerCase(Locale.ROOT)); // after the return: it may wait
        if (sleep) {
            sleepAfterTask();
        }
        if (singleTask) {
            shutdownRequester.accept(ShutdownCause.SINGLE_TASK_DONE);
            return;
        }
        Optional<String> quarantined = quarantine.record(result, Duration.ofNanos(clock.nanoTime() - started));
        if (quarantined.isPresent()) {
            LOG.error("{}", quarantined.get());
            metrics.quarantined(true);
            lock.lock();
            try {
                if (state == State.AWAKE) {
                    enterError();
                }
            } finally {
                lock.unlock();
            }
            return;
        }
        schedule(State.AWAKE, timing.afterTask());
    }

    /** From the may-i-run poller: the Manager says no for {@code taskId}. */
    private void revoked(String taskId, MayKeepRunning answer) {
        lock.lock();
        try {
            if (!taskId.equals(runningTaskId) || state == State.SHUTTING_DOWN || pendingStop != null) {
                return; // a race with the task's end, or already stopping
            }
            pendingStop = new PendingStop(answer.statusRequested(), "Worker " + identity.label()
                    + " stopped running this task, no longer allowed to run by Manager");
        } finally {
            lock.unlock();
        }
        executor.stop(TaskExecutor.StopKind.RETURN);
    }

    private void asleepPoll() throws InterruptedException {
        Optional<WorkerStatus> requested;
        try {
            setInManagerCall(true);
            requested = manager.statusChange();
        } catch (ManagerException e) {
            if (e.isAuthFailure()) {
                guard.onUnauthorized();
            } else if (!asleepPollFailing) {
                asleepPollFailing = true;
                LOG.warn("Asking the Manager for a status change failed ({}); still asleep", e.getMessage());
            }
            schedule(State.ASLEEP, timing.asleepPoll());
            return;
        } finally {
            setInManagerCall(false);
        }
        asleepPollFailing = false;
        if (!isState(State.ASLEEP)) {
            return;
        }
        if (requested.isPresent()) {
            applyRequestedStatus(requested.get());
        } else {
            schedule(State.ASLEEP, timing.asleepPoll());
        }
    }

    private void errorElapsed() {
        lock.lock();
        try {
            if (state == State.ERROR) {
                LOG.info("Error state over; checking again before the next fetch");
                metrics.quarantined(false);
                enterAwake(true);
            }
        } finally {
            lock.unlock();
        }
    }

    private void applyRequestedStatus(WorkerStatus requested) {
        if (requested == WorkerStatus.SHUTDOWN || requested == WorkerStatus.OFFLINE) {
            LOG.info("The Manager requested shutdown");
            holdLoop();
            shutdownRequester.accept(ShutdownCause.MANAGER_REQUESTED);
            return;
        }
        if (requested == WorkerStatus.RESTART) {
            LOG.info("The Manager requested a restart");
            holdLoop();
            shutdownRequester.accept(ShutdownCause.RESTART_REQUESTED);
            return;
        }
        lock.lock();
        try {
            if (state == State.SHUTTING_DOWN) {
                return;
            }
            switch (requested) {
                case AWAKE -> {
                    LOG.info("The Manager requested status awake");
                    enterAwake(true);
                }
                case ERROR -> {
                    LOG.info("The Manager requested status error");
                    enterError();
                }
                case ASLEEP -> {
                    LOG.info("The Manager requested status asleep");
                    enterAsleep();
                }
                default -> {
                    LOG.error("We have no way to go to status {}, going to sleep instead", requested.wire());
                    enterAsleep();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A shutdown is being requested: the loop must not ask the Manager again before it begins. */
    private void holdLoop() {
        lock.lock();
        try {
            deadlineNanos = clock.nanoTime() + timing.watchdog().toNanos();
        } finally {
            lock.unlock();
        }
    }

    // The enter* methods run with the lock held.

    private void enterAwake(boolean scheduleFetch) {
        state = State.AWAKE;
        metrics.workerState(WorkerState.AWAKE);
        if (scheduleFetch) {
            deadlineNanos = clock.nanoTime() + timing.afterWake().toNanos();
        }
        changed.signalAll();
        acks.ack(WorkerStatus.AWAKE);
    }

    /** A SIGUSR1 is never lost: also when the task ended by itself (not STOPPED) just as the signal came. */
    private void sleepAfterTask() {
        lock.lock();
        try {
            if (state != State.SHUTTING_DOWN && state != State.ASLEEP) {
                enterAsleep();
            }
        } finally {
            lock.unlock();
        }
    }

    private void enterAsleep() {
        if (state != State.ASLEEP) {
            LOG.info("Going to sleep; asking the Manager for status changes every {} s",
                    timing.asleepPoll().toSeconds());
        }
        state = State.ASLEEP;
        metrics.workerState(WorkerState.ASLEEP);
        deadlineNanos = clock.nanoTime() + timing.asleepPoll().toNanos();
        changed.signalAll();
        acks.ack(WorkerStatus.ASLEEP);
    }

    private void enterError() {
        state = State.ERROR;
        metrics.workerState(WorkerState.ERROR);
        deadlineNanos = clock.nanoTime() + timing.errorState().toNanos();
        changed.signalAll();
        acks.ack(WorkerStatus.ERROR);
    }

    private void schedule(State expected, Duration delay) {
        lock.lock();
        try {
            if (state == expected) {
                deadlineNanos = clock.nanoTime() + delay.toNanos();
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean isState(State s) {
        lock.lock();
        try {
            return state == s;
        } finally {
            lock.unlock();
        }
    }

    private boolean isShuttingDown() {
        return isState(State.SHUTTING_DOWN);
    }

    private void setInManagerCall(boolean value) {
        lock.lock();
        try {
            inManagerCall = value;
            if (!value) {
                Thread.interrupted(); // an interrupt meant for the call must not leak into the next wait
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        poller.close();
        acks.close();
        preTaskCheck.close();
    }
}
