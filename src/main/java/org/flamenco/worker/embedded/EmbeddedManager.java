package org.flamenco.worker.embedded;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.flamenco.worker.model.Secret;

/**
 * A small Flamenco v2 Manager on loopback, for the {@code demo} command and for end-to-end tests: every
 * worker-facing endpoint with the real Manager's semantics (protocol-v2.md §1.6, §2, §3), an API to add jobs and
 * inspect everything received, waits on state changes, and fault injection (outages, canned and slow replies).
 *
 * <p>Thread-safe; lifecycle, faults, queries and waits as every {@link LoopbackManager}.
 * {@link #forgetWorker(String)} simulates a database reset.
 */
public final class EmbeddedManager extends LoopbackManager<EmbeddedManager, TaskView, WorkerView> {
    /** An {@code /ack-status-change/{status}} received. */
    public record Ack(String workerId, String status, Instant time) {
    }

    /** An accepted {@code /output-produced}. */
    public record OutputNotice(String workerId, List<String> paths, Instant time) {
        public OutputNotice {
            paths = List.copyOf(paths);
        }
    }

    private final V2Store store;

    /** Open registration, system clock. */
    public EmbeddedManager() {
        this(Secret.empty(), Clock.systemUTC());
    }

    /**
     * @param registrationSecret empty for open registration, else the HS256 key registration tokens must verify with
     * @param clock              the Manager's clock: JWT {@code iat}/{@code exp} checks and recorded times
     */
    public EmbeddedManager(Secret registrationSecret, Clock clock) {
        this(Objects.requireNonNull(registrationSecret, "registrationSecret"),
                new ManagerState(Objects.requireNonNull(clock, "clock")), clock);
    }

    private EmbeddedManager(Secret registrationSecret, ManagerState state, Clock clock) {
        this(new V2Store(state), registrationSecret, state, clock);
    }

    private EmbeddedManager(V2Store store, Secret registrationSecret, ManagerState state, Clock clock) {
        super(state, store, new Endpoints(state, store, registrationSecret, clock));
        this.store = store;
    }

    // ---- jobs, tasks, workers --------------------------------------------------------------------------------

    /** Adds a job whose tasks are queued in the given order; parents are task names of the same job. */
    public AddedJob addJob(String name, List<TaskSpec> tasks) {
        return state.locked(() -> store.addJob(name, tasks));
    }

    /**
     * Cancels a task as Flamenco Server would: an active task becomes {@code cancel-requested} (may-i-run then says
     * {@code task <id> in non-runnable status cancel-requested}); a task not yet running becomes {@code canceled}.
     */
    @Override
    public void cancelTask(String taskId) {
        state.run(() -> {
            TaskRecord t = store.existingTask(taskId);
            if (t.isActive()) {
                t.status = "cancel-requested";
            } else if (t.isRunnable()) {
                t.status = "canceled";
            }
        });
    }

    /** Cancels every task of a job and stops handing them out. */
    public void cancelJob(String jobId) {
        List<String> ids = state.locked(() -> {
            store.jobStatuses.put(jobId, "canceled");
            return store.tasks.values().stream().filter(t -> t.jobId.equals(jobId)).map(t -> t.id)
                    .collect(Collectors.toList());
        });
        ids.forEach(this::cancelTask);
    }

    /**
     * Records a status request for a worker, as the Manager's dashboard does. Lazy requests wait for the running
     * task to end (delivered by 423 at the next {@code /task}); immediate ones also stop it via may-i-run.
     */
    @Override
    public void requestStatusChange(String workerId, String status, boolean lazy) {
        state.run(() -> {
            WorkerRecord w = store.existingWorker(workerId);
            w.statusRequested = Objects.requireNonNull(status, "status");
            w.lazyStatusRequest = lazy;
        });
    }

    /**
     * Makes the task active and assigned to {@code workerId}, which need not exist: reassigning a running task
     * this way makes its worker's updates get 409 and may-i-run answer {@code reassigned to another worker}.
     */
    public void assignTask(String taskId, String workerId) {
        state.run(() -> {
            TaskRecord t = store.existingTask(taskId);
            t.status = "active";
            t.workerId = Objects.requireNonNull(workerId, "workerId");
        });
    }

    /**
     * Applies the Manager's worker timeout once (protocol-v2.md §1.7): every {@code awake} worker not seen for
     * longer than {@code maxSilence} becomes {@code timeout} and its active tasks are re-queued.
     *
     * @return the ids of the workers that timed out
     */
    public List<String> timeOutSilentWorkers(Duration maxSilence) {
        return state.locked(() -> {
            Instant limit = state.now().minus(maxSilence);
            List<String> out = new ArrayList<>();
            for (WorkerRecord w : store.workers.values()) {
                if ("awake".equals(w.status) && (w.lastSeen == null || w.lastSeen.isBefore(limit))) {
                    w.status = "timeout";
                    out.add(w.id);
                    store.tasks.values().stream().filter(t -> t.isActive() && w.id.equals(t.workerId))
                            .forEach(t -> t.requeue(w.ident(), "worker timed out"));
                }
            }
            return out;
        });
    }

    /** Deletes the worker record (database reset, worker removed): its next request gets 401. */
    public void forgetWorker(String workerId) {
        state.run(() -> store.workers.remove(workerId));
    }

    /** Deletes every worker record. */
    public void forgetAllWorkers() {
        state.run(store.workers::clear);
    }

    // ---- queries ---------------------------------------------------------------------------------------------

    public List<Ack> acks() {
        return state.read(() -> List.copyOf(store.acks));
    }

    public List<SignOff> signOffs() {
        return state.read(() -> List.copyOf(store.signOffs));
    }

    public List<OutputNotice> outputs() {
        return state.read(() -> List.copyOf(store.outputs));
    }
}
