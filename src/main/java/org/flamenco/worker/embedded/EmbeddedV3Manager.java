package org.flamenco.worker.embedded;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A small Flamenco 3 Manager on loopback, for {@code demo --protocol v3} and end-to-end tests: the worker endpoints
 * of protocol-v3.md §2 under {@code /api/v3/…} with the real Manager's semantics and its strict request validation
 * (§11: exact keys and types, no {@code null}, enums; 403 before 400), an API to add jobs and inspect everything
 * received, waits on state changes, test controls (state change requests, reassigned or deleted tasks, forgotten
 * workers) and the same fault injection as the v2 {@link EmbeddedManager} (canned replies such as 503 with
 * {@code Retry-After}, slow replies, dropped connections, outages).
 *
 * <p>Thread-safe; one lock guards all state. Worker liveness timeouts are not modelled. Lifecycle as
 * {@link EmbeddedManager}: {@code start → stop → restart → close}, the "database" surviving stop and restart.
 */
public final class EmbeddedV3Manager implements AutoCloseable {
    private static final List<String> FINAL_STATUSES = List.of("completed", "failed", "canceled");

    /** A {@code POST /worker/state-changed} received. */
    public record StateChange(String workerId, String status, Instant time) {
    }

    /** A {@code POST /worker/sign-off} received. */
    public record SignOff(String workerId, Instant time) {
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

    private final ManagerState state;
    private final V3Store store;
    private final HttpFront front;

    /** System clock. */
    public EmbeddedV3Manager() {
        this(Clock.systemUTC());
    }

    /** @param clock the Manager's clock: recorded times and the UUIDs' prefix */
    public EmbeddedV3Manager(Clock clock) {
        this.state = new ManagerState(Objects.requireNonNull(clock, "clock"));
        this.store = new V3Store(state);
        this.front = new HttpFront(new ExchangeHandler(state, new V3Endpoints(state, store)), state::bumpGeneration);
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    /** Listens on an ephemeral loopback port. */
    public EmbeddedV3Manager start() throws IOException {
        return start(0);
    }

    /** Listens on {@code 127.0.0.1:port} ({@code 0}: ephemeral). */
    public EmbeddedV3Manager start(int port) throws IOException {
        front.start(port);
        return this;
    }

    /** Goes down like a crashed Manager: the port refuses connections, replies in flight are dropped. */
    public void stop() {
        front.stop();
    }

    /** Comes back on the same port with all state kept. */
    public void restart() throws IOException {
        front.restart();
    }

    public boolean isRunning() {
        return front.isRunning();
    }

    public int port() {
        return front.port();
    }

    /** {@code http://127.0.0.1:<port>/}: the base URL a worker is configured with. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    @Override
    public void close() {
        front.close();
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
    public void requestStatusChange(String workerId, String status, boolean lazy) {
        Objects.requireNonNull(status, "status");
        state.run(() -> existingWorker(workerId).request(status, lazy));
    }

    /** Gives the task to another (made-up) worker: the old worker's updates get 409, may-i-run says no. */
    public void reassignTask(String taskId) {
        state.run(() -> {
            V3TaskRecord t = existingTask(taskId);
            t.status = "active";
            t.workerId = store.newUuid();
        });
    }

    /** Cancels the task (as a job cancellation does): may-i-run then answers {@code false}. */
    public void cancelTask(String taskId) {
        state.run(() -> existingTask(taskId).status = "canceled");
    }

    /** Deletes the task: updates get 404, may-i-run says {@code Task not found}. */
    public void deleteTask(String taskId) {
        state.run(() -> store.tasks.remove(existingTask(taskId).id));
    }

    /** Deletes the worker record: its next request gets 403. */
    public void forgetWorker(String workerId) {
        state.run(() -> store.workers.remove(existingWorker(workerId).id));
    }

    /** How many different workers must fail a task before it is {@code failed} (earlier ones soft-fail it). */
    public void setFailuresBeforeHardFail(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be >= 1: " + failures);
        }
        state.run(() -> store.failuresBeforeHardFail = failures);
    }

    // ---- fault injection (as EmbeddedManager) ----------------------------------------------------------------

    /**
     * The next {@code count} requests whose path starts with {@code pathPrefix} get {@code reply} instead; a prefix
     * ending in {@code $} matches only that exact path. E.g. a 503 storm on {@code /api/v3/worker/task$} with
     * {@code CannedReply.text(503, "busy").withHeader("Retry-After", "1")}.
     */
    public void answerNext(int count, String pathPrefix, CannedReply reply) {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(reply, "reply");
        state.run(() -> state.faults.answerNext(count, pathPrefix, reply));
    }

    /** The next {@code count} requests to paths starting with {@code pathPrefix} fail with {@code status}. */
    public void failNext(int count, String pathPrefix, int status, String body) {
        answerNext(count, pathPrefix, CannedReply.text(status, body));
    }

    /** Requests to paths starting with {@code pathPrefix} are held back {@code delay} (zero removes the rule). */
    public void delayReplies(String pathPrefix, Duration delay) {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(delay, "delay");
        state.run(() -> state.faults.delay(pathPrefix, delay, false));
    }

    /** As {@link #delayReplies}, but the request is applied at once and only the answer is late. */
    public void delayRepliesAfterApplying(String pathPrefix, Duration delay) {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(delay, "delay");
        state.run(() -> state.faults.delay(pathPrefix, delay, true));
    }

    public void clearFaults() {
        state.run(state.faults::clear);
    }

    public int pendingCannedReplies() {
        return state.read(state.faults::pendingCannedReplies);
    }

    /** Drops the requests recorded so far (long runs keep memory flat); sequence numbers go on. */
    public void forgetRequests() {
        state.run(() -> {
            state.forgottenRequests += state.requests.size();
            state.requests.clear();
        });
    }

    // ---- queries ---------------------------------------------------------------------------------------------

    public List<RecordedRequest> requests() {
        return state.read(() -> List.copyOf(state.requests));
    }

    /** Requests with this method whose path starts with {@code pathPrefix}, in arrival order. */
    public List<RecordedRequest> requests(String method, String pathPrefix) {
        return state.read(() -> state.requests.stream()
                .filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix))
                .collect(Collectors.toList()));
    }

    public String taskStatus(String taskId) {
        return state.read(() -> existingTask(taskId).status);
    }

    public V3TaskView task(String taskId) {
        return state.read(() -> existingTask(taskId).view());
    }

    public List<V3TaskView> tasks() {
        return state.read(() -> store.tasks.values().stream().map(V3TaskRecord::view).collect(Collectors.toList()));
    }

    /** The job's tasks in the order they were added. */
    public List<V3TaskView> jobTasks(String jobId) {
        return state.read(() -> store.tasks.values().stream().filter(t -> t.jobId.equals(jobId))
                .map(V3TaskRecord::view).collect(Collectors.toList()));
    }

    public Optional<V3WorkerView> worker(String workerId) {
        return state.read(() -> Optional.ofNullable(store.workers.get(workerId)).map(V3WorkerRecord::view));
    }

    public List<V3WorkerView> workers() {
        return state.read(() -> store.workers.values().stream().map(V3WorkerRecord::view)
                .collect(Collectors.toList()));
    }

    public List<StateChange> stateChanges() {
        return state.read(() -> List.copyOf(store.stateChanges));
    }

    public List<SignOff> signOffs() {
        return state.read(() -> List.copyOf(store.signOffs));
    }

    public List<Preview> previews() {
        return state.read(() -> List.copyOf(store.previews));
    }

    // ---- waits -----------------------------------------------------------------------------------------------

    /** Waits until {@code condition} holds; re-checked after every state change (no polling). */
    public void awaitCondition(String description, BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        state.await(() -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), timeout,
                () -> "waiting for " + description);
    }

    public V3TaskView awaitTaskStatus(String taskId, String status, Duration timeout) throws InterruptedException {
        return awaitTask(taskId, t -> t.status().equals(status), timeout);
    }

    public V3TaskView awaitTask(String taskId, Predicate<V3TaskView> predicate, Duration timeout)
            throws InterruptedException {
        return state.await(() -> Optional.of(existingTask(taskId).view()).filter(predicate), timeout,
                () -> "on task " + taskId + ", last seen status=" + existingTask(taskId).status + " activity="
                        + existingTask(taskId).activity);
    }

    /** Waits until every task of the job is {@code completed}, {@code failed} or {@code canceled}. */
    public List<V3TaskView> awaitJobDone(String jobId, Duration timeout) throws InterruptedException {
        return state.await(() -> {
            List<V3TaskView> tasks = jobTasks(jobId);
            boolean done = !tasks.isEmpty() && tasks.stream().allMatch(t -> FINAL_STATUSES.contains(t.status()));
            return done ? Optional.of(tasks) : Optional.empty();
        }, timeout, () -> "for job " + jobId + " to finish; tasks: " + jobTasks(jobId).stream()
                .map(t -> t.name() + "=" + t.status()).collect(Collectors.joining(", ")));
    }

    public RecordedRequest awaitRequest(Predicate<RecordedRequest> predicate, Duration timeout)
            throws InterruptedException {
        return state.await(() -> state.requests.stream().filter(predicate).findFirst(), timeout,
                () -> "for a matching request; received: " + requestLines());
    }

    public List<RecordedRequest> awaitRequests(Predicate<RecordedRequest> predicate, int count, Duration timeout)
            throws InterruptedException {
        return state.await(() -> {
            List<RecordedRequest> matching = state.requests.stream().filter(predicate).limit(count)
                    .collect(Collectors.toList());
            return matching.size() >= count ? Optional.of(matching) : Optional.empty();
        }, timeout, () -> "for " + count + " matching requests; received: " + requestLines());
    }

    public V3WorkerView awaitWorker(Predicate<V3WorkerView> predicate, Duration timeout) throws InterruptedException {
        return state.await(() -> store.workers.values().stream().map(V3WorkerRecord::view).filter(predicate)
                .findFirst(), timeout, () -> "for a matching worker; workers: " + store.workers.values().stream()
                .map(V3WorkerRecord::view).collect(Collectors.toList()));
    }

    private String requestLines() {
        return state.requests.stream().map(r -> r.line() + "→" + r.status()).collect(Collectors.joining(", "));
    }

    private V3TaskRecord existingTask(String taskId) {
        V3TaskRecord t = store.tasks.get(taskId);
        if (t == null) {
            throw new IllegalArgumentException("no task " + taskId);
        }
        return t;
    }

    private V3WorkerRecord existingWorker(String workerId) {
        V3WorkerRecord w = store.workers.get(workerId);
        if (w == null) {
            throw new IllegalArgumentException("no worker " + workerId);
        }
        return w;
    }
}
