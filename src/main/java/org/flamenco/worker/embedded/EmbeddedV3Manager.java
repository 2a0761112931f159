package org.flamenco.worker.embedded;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A small Flamenco 3 Manager on loopback, for {@code demo --protocol v3} and end-to-end tests: the worker endpoints
 * of protocol-v3.md §2 under {@code /api/v3/…} with the real Manager's semantics and its strict request validation
 * (§11: exact keys and types, no {@code null}, enums; 403 before 400), an API to add jobs and inspect everything
 * received, waits on state changes, test controls (state change requests, reassigned or deleted tasks, forgotten
 * workers) and the same fault injection as the v2 {@link EmbeddedManager} (canned replies such as 503 with
 * {@code Retry-After}, slow replies, dropped connections, outages).
 *
 * <p>Thread-safe; lifecycle, faults, queries and waits as every {@link LoopbackManager}. Worker liveness timeouts
 * are not modelled.
 */
public final class EmbeddedV3Manager extends LoopbackManager<EmbeddedV3Manager, V3TaskView, V3WorkerView> {
    /** A {@code POST /worker/state-changed} received. */
    public record StateChange(String workerId, String status, Instant time) {
    }

    /** An accepted {@code output-produced} upload (202). */
    public record Preview(String workerId, String taskId, String contentType, byte[] image, Instant time) {
        public Preview {
            image = image.clone();
        }

        @Override
        public byte[] image() {
            return image.clone();
        }
    }

    private final V3Store store;

    /** System clock. */
    public EmbeddedV3Manager() {
        this(Clock.systemUTC());
    }

    /** @param clock the Manager's clock: recorded times and the UUIDs' prefix */
    public EmbeddedV3Manager(Clock clock) {
        this(new ManagerState(Objects.requireNonNull(clock, "clock")));
    }

    private EmbeddedV3Manager(ManagerState state) {
        this(state, new V3Store(state));
    }

    private EmbeddedV3Manager(ManagerState state, V3Store store) {
        super(state, store, new V3Endpoints(state, store));
        this.store = store;
    }

    // ---- jobs, tasks, workers --------------------------------------------------------------------------------

    /** Adds a job whose tasks are queued in the given order; parents are task names of the same job. */
    public AddedJob addJob(String name, List<V3TaskSpec> tasks) {
        return state.locked(() -> store.addJob(name, tasks));
    }

    /**
     * Requests a state change ({@code awake}, {@code asleep}, {@code offline}, {@code restart}) as the web interface
     * does: delivered by 423 from {@code /worker/task} and by {@code GET /worker/state}; an immediate
     * ({@code lazy = false}) request also stops the running task through may-i-run.
     */
    @Override
    public void requestStatusChange(String workerId, String status, boolean lazy) {
        Objects.requireNonNull(status, "status");
        state.run(() -> store.existingWorker(workerId).request(status, lazy));
    }

    /** Gives the task to another (made-up) worker: the old worker's updates get 409, may-i-run says no. */
    public void reassignTask(String taskId) {
        state.run(() -> {
            V3TaskRecord t = store.existingTask(taskId);
            t.status = "active";
            t.workerId = store.newId();
        });
    }

    /** Cancels the task (as a job cancellation does): may-i-run then answers {@code false}. */
    @Override
    public void cancelTask(String taskId) {
        state.run(() -> store.existingTask(taskId).status = "canceled");
    }

    /** Deletes the worker record: its next request gets 403. */
    public void forgetWorker(String workerId) {
        state.run(() -> store.workers.remove(store.existingWorker(workerId).id));
    }

    // ---- queries ---------------------------------------------------------------------------------------------

    public List<StateChange> stateChanges() {
        return state.read(() -> List.copyOf(store.stateChanges));
    }

    public List<SignOff> signOffs() {
        return state.read(() -> List.copyOf(store.signOffs));
    }

    public List<Preview> previews() {
        return state.read(() -> List.copyOf(store.previews));
    }
}
