package org.flamenco.worker.embedded;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What both embedded Managers ({@link EmbeddedManager} for protocol v2, {@link EmbeddedV3Manager} for v3) offer
 * whatever their endpoints: the HTTP side on loopback, fault injection (canned and slow replies, outages), the
 * requests received, task and worker snapshots, and waits on state changes.
 *
 * <p>Thread-safe. Requests are served by a small pool of {@code fw-embedded-manager-N} threads; all state lives in
 * one {@link ManagerState} and the protocol's {@link JobStore} under one lock. {@link #stop()} and
 * {@link #restart()} take the HTTP side down and up on the same port while the "database" survives.
 *
 * <pre>
 *   new ──start()──▶ running ──stop()──▶ stopped ──restart()──▶ running ──close()──▶ closed
 * </pre>
 *
 * @param <M> the Manager itself ({@link #start()} returns it)
 * @param <T> its task snapshot ({@link TaskView}, {@link V3TaskView})
 * @param <W> its worker snapshot ({@link WorkerView}, {@link V3WorkerView})
 */
public abstract sealed class LoopbackManager<M extends LoopbackManager<M, T, W>, T extends TaskSnapshot, W>
        implements AutoCloseable
        permits EmbeddedManager, EmbeddedV3Manager {
    private static final List<String> FINAL_STATUSES = List.of("completed", "failed", "canceled");

    /** A sign-off received (v2 {@code /sign-off}, v3 {@code POST /worker/sign-off}). */
    public record SignOff(String workerId, Instant time) {
    }

    final ManagerState state;
    private final JobStore<?, ? extends TaskRow<T>, ? extends WorkerRow<W>> store;
    private final HttpFront front;

    LoopbackManager(ManagerState state, JobStore<?, ? extends TaskRow<T>, ? extends WorkerRow<W>> store,
                    Router endpoints) {
        this.state = Objects.requireNonNull(state, "state");
        this.store = Objects.requireNonNull(store, "store");
        this.front = new HttpFront(new ExchangeHandler(state, endpoints), state::bumpGeneration);
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    /** Listens on an ephemeral loopback port. */
    public final M start() throws IOException {
        return start(0);
    }

    /** Listens on {@code 127.0.0.1:port} ({@code 0}: ephemeral). */
    public final M start(int port) throws IOException {
        front.start(port);
        @SuppressWarnings("unchecked") // M is the subclass itself: the only two are sealed in above
        M self = (M) this;
        return self;
    }

    /** Goes down like a crashed Manager: the port refuses connections, replies in flight are dropped. */
    public final void stop() {
        front.stop();
    }

    /** Comes back on the same port with all state kept (after {@link #stop()}; a no-op while running). */
    public final void restart() throws IOException {
        front.restart();
    }

    public final boolean isRunning() {
        return front.isRunning();
    }

    /** The port, kept across stop and restart. */
    public final int port() {
        return front.port();
    }

    /** {@code http://127.0.0.1:<port>/}: the base URL a worker is configured with. */
    public final URI url() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    /** Stops serving and ends the request threads; state stays readable. */
    @Override
    public final void close() {
        front.close();
    }

    // ---- tasks and workers -----------------------------------------------------------------------------------

    /** Cancels the task the way the protocol's Manager does; may-i-run then tells its worker to stop. */
    public abstract void cancelTask(String taskId);

    /**
     * Requests a status change of the worker, as the Manager's web interface does: a lazy request waits for the
     * running task to end, an immediate one also stops it through may-i-run.
     */
    public abstract void requestStatusChange(String workerId, String status, boolean lazy);

    /** Deletes the task, as if it vanished from the Manager: updates then get 404, may-i-run says no. */
    public final void deleteTask(String taskId) {
        state.run(() -> store.tasks.remove(store.existingTask(taskId).id));
    }

    /** How many different workers must fail a task before it is {@code failed} (earlier ones soft-fail it). */
    public final void setFailuresBeforeHardFail(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be >= 1: " + failures);
        }
        state.run(() -> store.failuresBeforeHardFail = failures);
    }

    // ---- fault injection -------------------------------------------------------------------------------------

    /**
     * The next {@code count} requests whose path starts with {@code pathPrefix} get {@code reply} instead; a prefix
     * ending in {@code $} matches only the exact path before it ({@code "/task$"}: not {@code /tasks/…}). E.g. a 503
     * storm with {@code CannedReply.text(503, "busy").withHeader("Retry-After", "1")}.
     */
    public final void answerNext(int count, String pathPrefix, CannedReply reply) {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(reply, "reply");
        state.run(() -> state.faults.answerNext(count, pathPrefix, reply));
    }

    /** The next {@code count} requests (any path) fail with {@code status} (5xx, 429, …) and a plain-text body. */
    public final void failNext(int count, int status, String body) {
        answerNext(count, "/", CannedReply.text(status, body));
    }

    /** As {@link #failNext(int, int, String)}, only for paths starting with {@code pathPrefix}. */
    public final void failNext(int count, String pathPrefix, int status, String body) {
        answerNext(count, pathPrefix, CannedReply.text(status, body));
    }

    /**
     * Requests to paths starting with {@code pathPrefix} are held back {@code delay} before the Manager applies and
     * answers them (the longest matching prefix wins; zero removes the rule).
     */
    public final void delayReplies(String pathPrefix, Duration delay) {
        delay(pathPrefix, delay, false);
    }

    /**
     * As {@link #delayReplies}, but the request is applied at once and only the answer is late: a client that
     * gives up meanwhile has had its request applied anyway.
     */
    public final void delayRepliesAfterApplying(String pathPrefix, Duration delay) {
        delay(pathPrefix, delay, true);
    }

    private void delay(String pathPrefix, Duration delay, boolean afterProcessing) {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(delay, "delay");
        state.run(() -> state.faults.delay(pathPrefix, delay, afterProcessing));
    }

    /** Removes every canned reply and delay. */
    public final void clearFaults() {
        state.run(state.faults::clear);
    }

    /** Canned replies not used yet. */
    public final int pendingCannedReplies() {
        return state.read(state.faults::pendingCannedReplies);
    }

    /**
     * Drops the requests recorded so far (their bodies are kept in memory): a long run (soak, chaos) calls this
     * after checking them, so the Manager's memory stays flat. Later {@link RecordedRequest#sequence()} numbers go on.
     */
    public final void forgetRequests() {
        state.run(() -> {
            state.forgottenRequests += state.requests.size();
            state.requests.clear();
        });
    }

    // ---- queries ---------------------------------------------------------------------------------------------

    /** Every request received, in arrival order. */
    public final List<RecordedRequest> requests() {
        return state.read(() -> List.copyOf(state.requests));
    }

    /** Requests with this method whose path starts with {@code pathPrefix}, in arrival order. */
    public final List<RecordedRequest> requests(String method, String pathPrefix) {
        return state.read(() -> state.requests.stream()
                .filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix))
                .collect(Collectors.toList()));
    }

    /** The task's status alone: cheap to poll (unlike {@link #task}, which copies the task's whole log). */
    public final String taskStatus(String taskId) {
        return state.read(() -> store.existingTask(taskId).status);
    }

    public final T task(String taskId) {
        return state.read(() -> store.existingTask(taskId).view());
    }

    public final List<T> tasks() {
        return state.read(() -> views(store.tasks.values()));
    }

    /** The job's tasks in the order they were added. */
    public final List<T> jobTasks(String jobId) {
        return state.read(() -> views(jobRows(jobId)));
    }

    public final Optional<W> worker(String workerId) {
        return state.read(() -> Optional.ofNullable(store.workers.get(workerId)).map(WorkerRow::view));
    }

    public final List<W> workers() {
        return state.read(() -> store.workers.values().stream().map(WorkerRow::view).collect(Collectors.toList()));
    }

    // ---- waits -----------------------------------------------------------------------------------------------

    /** Waits until {@code condition} holds; it is re-checked after every state change (no polling). */
    public final void awaitCondition(String description, BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        state.await(() -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), timeout,
                () -> "waiting for " + description);
    }

    /** Waits until the task has {@code status}; returns its snapshot. */
    public final T awaitTaskStatus(String taskId, String status, Duration timeout) throws InterruptedException {
        return state.await(() -> Optional.of(store.existingTask(taskId)).filter(t -> t.status.equals(status))
                .map(TaskRow::view), timeout, () -> lastSeen(taskId));
    }

    /** Waits until the task's snapshot satisfies {@code predicate}; returns that snapshot. */
    public final T awaitTask(String taskId, Predicate<T> predicate, Duration timeout) throws InterruptedException {
        return state.await(() -> Optional.of(store.existingTask(taskId).view()).filter(predicate), timeout,
                () -> lastSeen(taskId));
    }

    /**
     * Waits until every task of the job is final ({@code completed}, {@code failed} or {@code canceled});
     * returns their snapshots in job order.
     */
    public final List<T> awaitJobDone(String jobId, Duration timeout) throws InterruptedException {
        return state.await(() -> {
            List<? extends TaskRow<T>> rows = jobRows(jobId);
            boolean done = !rows.isEmpty() && rows.stream().allMatch(t -> FINAL_STATUSES.contains(t.status));
            return done ? Optional.of(views(rows)) : Optional.empty();
        }, timeout, () -> "for job " + jobId + " to finish; tasks: " + jobRows(jobId).stream()
                .map(t -> t.name + "=" + t.status).collect(Collectors.joining(", ")));
    }

    /** Waits for the first request (already received or future) matching {@code predicate}. */
    public final RecordedRequest awaitRequest(Predicate<RecordedRequest> predicate, Duration timeout)
            throws InterruptedException {
        return state.await(() -> state.requests.stream().filter(predicate).findFirst(), timeout,
                () -> "for a matching request; received: " + requestLines());
    }

    /** Waits until {@code count} requests match {@code predicate}; returns the first {@code count} of them. */
    public final List<RecordedRequest> awaitRequests(Predicate<RecordedRequest> predicate, int count,
                                                     Duration timeout) throws InterruptedException {
        return state.await(() -> {
            List<RecordedRequest> matching = state.requests.stream().filter(predicate).limit(count)
                    .collect(Collectors.toList());
            return matching.size() >= count ? Optional.of(matching) : Optional.empty();
        }, timeout, () -> "for " + count + " matching requests; received: " + requestLines());
    }

    /** Waits until some worker record satisfies {@code predicate}; returns its snapshot. */
    public final W awaitWorker(Predicate<W> predicate, Duration timeout) throws InterruptedException {
        return state.await(() -> store.workers.values().stream().map(WorkerRow::view).filter(predicate)
                .findFirst(), timeout, () -> "for a matching worker; workers: " + workers());
    }

    private List<? extends TaskRow<T>> jobRows(String jobId) {
        return store.tasks.values().stream().filter(t -> t.jobId.equals(jobId)).collect(Collectors.toList());
    }

    private List<T> views(Collection<? extends TaskRow<T>> rows) {
        return rows.stream().map(TaskRow::view).collect(Collectors.toList());
    }

    private String lastSeen(String taskId) {
        TaskRow<T> t = store.existingTask(taskId);
        return "on task " + taskId + ", last seen status=" + t.status + " activity=" + t.activity + " worker="
                + t.workerId + " updates=" + t.updates.size();
    }

    private String requestLines() {
        return state.requests.stream().map(r -> r.line() + "→" + r.status()).collect(Collectors.joining(", "));
    }
}
