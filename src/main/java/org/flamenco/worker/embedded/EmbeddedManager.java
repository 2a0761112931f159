package org.flamenco.worker.embedded;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.flamenco.worker.model.Secret;

/**
 * A small Flamenco v2 Manager on loopback, for the {@code demo} command and for end-to-end tests: every
 * worker-facing endpoint with the real Manager's semantics (protocol-v2.md §1.6, §2, §3), an API to add jobs and
 * inspect everything received, waits on state changes, and fault injection (outages, canned and slow replies).
 *
 * <p>Thread-safe. Requests are served by a small pool of {@code fw-embedded-manager-N} threads; all state lives in
 * one {@link ManagerState} under one lock. {@link #stop()} and {@link #restart()} take the HTTP side down and up
 * on the same port while the "database" survives; {@link #forgetWorker(String)} simulates a database reset.
 *
 * <pre>
 *   new ──start()──▶ running ──stop()──▶ stopped ──restart()──▶ running ──close()──▶ closed
 * </pre>
 */
public final class EmbeddedManager implements AutoCloseable {
    private static final List<String> FINAL_STATUSES = List.of("completed", "failed", "canceled");

    /** An {@code /ack-status-change/{status}} received. */
    public record Ack(String workerId, String status, Instant time) {
    }

    /** A {@code /sign-off} received. */
    public record SignOff(String workerId, Instant time) {
    }

    /** An accepted {@code /output-produced}. */
    public record OutputNotice(String workerId, List<String> paths, Instant time) {
        public OutputNotice {
            paths = List.copyOf(paths);
        }
    }

    private final ManagerState state;
    private final HttpFront front;

    /** Open registration, system clock. */
    public EmbeddedManager() {
        this(Secret.empty(), Clock.systemUTC());
    }

    /**
     * @param registrationSecret empty for open registration, else the HS256 key registration tokens must verify with
     * @param clock              the Manager's clock: JWT {@code iat}/{@code exp} checks and recorded times
     */
    public EmbeddedManager(Secret registrationSecret, Clock clock) {
        Objects.requireNonNull(registrationSecret, "registrationSecret");
        Objects.requireNonNull(clock, "clock");
        this.state = new ManagerState(clock);
        this.front = new HttpFront(new ExchangeHandler(state, new Endpoints(state, registrationSecret, clock)),
                state::bumpGeneration);
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    /** Listens on an ephemeral loopback port. */
    public EmbeddedManager start() throws IOException {
        return start(0);
    }

    /** Listens on {@code 127.0.0.1:port} ({@code 0}: ephemeral). */
    public EmbeddedManager start(int port) throws IOException {
        front.start(port);
        return this;
    }

    /** Goes down like a crashed Manager: the port refuses connections, replies in flight are dropped. */
    public void stop() {
        front.stop();
    }

    /** Comes back on the same port with all state kept (after {@link #stop()}; a no-op while running). */
    public void restart() throws IOException {
        front.restart();
    }

    public boolean isRunning() {
        return front.isRunning();
    }

    /** The port, kept across stop and restart. */
    public int port() {
        return front.port();
    }

    /** {@code http://127.0.0.1:<port>/}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    /** Stops serving and ends the request threads; state stays readable. */
    @Override
    public void close() {
        front.close();
    }

    // ---- jobs, tasks, workers --------------------------------------------------------------------------------

    /** Adds a job whose tasks are queued in the given order; parents are task names of the same job. */
    public AddedJob addJob(String name, List<TaskSpec> tasks) {
        return state.locked(() -> new JobBuilder(state).add(name, tasks));
    }

    /**
     * Cancels a task as Flamenco Server would: an active task becomes {@code cancel-requested} (may-i-run then says
     * {@code task <id> in non-runnable status cancel-requested}); a task not yet running becomes {@code canceled}.
     */
    public void cancelTask(String taskId) {
        state.run(() -> {
            TaskRecord t = state.existingTask(taskId);
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
            state.jobStatuses.put(jobId, "canceled");
            return state.tasks.values().stream().filter(t -> t.jobId.equals(jobId)).map(t -> t.id)
                    .collect(Collectors.toList());
        });
        ids.forEach(this::cancelTask);
    }

    /**
     * Records a status request for a worker, as the Manager's dashboard does. Lazy requests wait for the running
     * task to end (delivered by 423 at the next {@code /task}); immediate ones also stop it via may-i-run.
     */
    public void requestStatusChange(String workerId, String status, boolean lazy) {
        state.run(() -> {
            WorkerRecord w = state.existingWorker(workerId);
            w.statusRequested = Objects.requireNonNull(status, "status");
            w.lazyStatusRequest = lazy;
        });
    }

    /** Deletes the task, as if it vanished from the Manager: updates then get 404, may-i-run says no. */
    public void deleteTask(String taskId) {
        state.run(() -> state.tasks.remove(state.existingTask(taskId).id));
    }

    /**
     * Makes the task active and assigned to {@code workerId}, which need not exist: reassigning a running task
     * this way makes its worker's updates get 409 and may-i-run answer {@code reassigned to another worker}.
     */
    public void assignTask(String taskId, String workerId) {
        state.run(() -> {
            TaskRecord t = state.existingTask(taskId);
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
            for (WorkerRecord w : state.workers.values()) {
                if ("awake".equals(w.status) && (w.lastSeen == null || w.lastSeen.isBefore(limit))) {
                    w.status = "timeout";
                    out.add(w.id);
                    state.tasks.values().stream().filter(t -> t.isActive() && w.id.equals(t.workerId))
                            .forEach(t -> t.requeue(w.ident(), "worker timed out"));
                }
            }
            return out;
        });
    }

    /** Deletes the worker record (database reset, worker removed): its next request gets 401. */
    public void forgetWorker(String workerId) {
        state.run(() -> state.workers.remove(workerId));
    }

    /** Deletes every worker record. */
    public void forgetAllWorkers() {
        state.run(state.workers::clear);
    }

    /** How many different workers must fail a task before it is {@code failed} (earlier ones soft-fail it). */
    public void setFailuresBeforeHardFail(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be >= 1: " + failures);
        }
        state.run(() -> state.failuresBeforeHardFail = failures);
    }

    // ---- fault injection -------------------------------------------------------------------------------------

    /**
     * The next {@code count} requests whose path starts with {@code pathPrefix} get {@code reply} instead; a prefix
     * ending in {@code $} matches only the exact path before it ({@code "/task$"}: not {@code /tasks/…}).
     */
    public void answerNext(int count, String pathPrefix, CannedReply reply) {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(reply, "reply");
        state.run(() -> state.faults.answerNext(count, pathPrefix, reply));
    }

    /** The next {@code count} requests (any path) fail with {@code status} (5xx, 429, …) and a plain-text body. */
    public void failNext(int count, int status, String body) {
        answerNext(count, "/", CannedReply.text(status, body));
    }

    /** As {@link #failNext(int, int, String)}, only for paths starting with {@code pathPrefix}. */
    public void failNext(int count, String pathPrefix, int status, String body) {
        answerNext(count, pathPrefix, CannedReply.text(status, body));
    }

    /**
     * Requests to paths starting with {@code pathPrefix} are held back {@code delay} before the Manager applies and
     * answers them (the longest matching prefix wins; zero removes the rule).
     */
    public void delayReplies(String pathPrefix, Duration delay) {
        delay(pathPrefix, delay, false);
    }

    /**
     * As {@link #delayReplies}, but the request is applied at once and only the answer is late: a client that
     * gives up meanwhile has had its request applied anyway.
     */
    public void delayRepliesAfterApplying(String pathPrefix, Duration delay) {
        delay(pathPrefix, delay, true);
    }

    private void delay(String pathPrefix, Duration delay, boolean afterProcessing) {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(delay, "delay");
        state.run(() -> state.faults.delay(pathPrefix, delay, afterProcessing));
    }

    /** Removes every canned reply and delay. */
    public void clearFaults() {
        state.run(state.faults::clear);
    }

    /** Canned replies not used yet. */
    public int pendingCannedReplies() {
        return state.read(state.faults::pendingCannedReplies);
    }

    /**
     * Drops the requests recorded so far (their bodies are kept in memory): a long run (soak, chaos) calls this
     * after checking them, so the Manager's memory stays flat. Later {@link RecordedRequest#sequence()} numbers go on.
     */
    public void forgetRequests() {
        state.run(() -> {
            state.forgottenRequests += state.requests.size();
            state.requests.clear();
        });
    }

    // ---- queries ---------------------------------------------------------------------------------------------

    /** Every request received, in arrival order. */
    public List<RecordedRequest> requests() {
        return state.read(() -> List.copyOf(state.requests));
    }

    /** Requests with this method whose path starts with {@code pathPrefix}, in arrival order. */
    public List<RecordedRequest> requests(String method, String pathPrefix) {
        return state.read(() -> state.requests.stream()
                .filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix))
                .collect(Collectors.toList()));
    }

    /** The task's status alone: cheap to poll (unlike {@link #task}, which copies the task's whole log). */
    public String taskStatus(String taskId) {
        return state.read(() -> state.existingTask(taskId).status);
    }

    public TaskView task(String taskId) {
        return state.read(() -> state.existingTask(taskId).view());
    }

    public List<TaskView> tasks() {
        return state.read(() -> state.tasks.values().stream().map(TaskRecord::view).collect(Collectors.toList()));
    }

    public Optional<WorkerView> worker(String workerId) {
        return state.read(() -> Optional.ofNullable(state.workers.get(workerId)).map(WorkerRecord::view));
    }

    public List<WorkerView> workers() {
        return state.read(() -> state.workers.values().stream().map(WorkerRecord::view)
                .collect(Collectors.toList()));
    }

    public List<Ack> acks() {
        return state.read(() -> List.copyOf(state.acks));
    }

    public List<SignOff> signOffs() {
        return state.read(() -> List.copyOf(state.signOffs));
    }

    public List<OutputNotice> outputs() {
        return state.read(() -> List.copyOf(state.outputs));
    }

    // ---- waits -----------------------------------------------------------------------------------------------

    /** Waits until {@code condition} holds; it is re-checked after every state change (no polling). */
    public void awaitCondition(String description, BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        state.await(() -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), timeout,
                () -> "waiting for " + description);
    }

    /** Waits until the task has {@code status}; returns its snapshot. */
    public TaskView awaitTaskStatus(String taskId, String status, Duration timeout) throws InterruptedException {
        return awaitTask(taskId, t -> t.status().equals(status), timeout);
    }

    /** Waits until the task's snapshot satisfies {@code predicate}; returns that snapshot. */
    public TaskView awaitTask(String taskId, Predicate<TaskView> predicate, Duration timeout)
            throws InterruptedException {
        return state.await(() -> Optional.of(state.existingTask(taskId).view()).filter(predicate), timeout,
                () -> "on task " + taskId + ", last seen " + summary(state.existingTask(taskId).view()));
    }

    /**
     * Waits until every task of the job is final ({@code completed}, {@code failed} or {@code canceled});
     * returns their snapshots in job order.
     */
    public List<TaskView> awaitJobDone(String jobId, Duration timeout) throws InterruptedException {
        return state.await(() -> {
            List<TaskView> tasks = jobTasks(jobId);
            boolean done = !tasks.isEmpty() && tasks.stream().allMatch(t -> FINAL_STATUSES.contains(t.status()));
            return done ? Optional.of(tasks) : Optional.empty();
        }, timeout, () -> "for job " + jobId + " to finish; tasks: " + jobTasks(jobId).stream()
                .map(t -> t.name() + "=" + t.status()).collect(Collectors.joining(", ")));
    }

    /** The job's tasks in the order they were added. */
    public List<TaskView> jobTasks(String jobId) {
        return state.read(() -> state.tasks.values().stream().filter(t -> t.jobId.equals(jobId))
                .map(TaskRecord::view).collect(Collectors.toList()));
    }

    /** Waits for the first request (already received or future) matching {@code predicate}. */
    public RecordedRequest awaitRequest(Predicate<RecordedRequest> predicate, Duration timeout)
            throws InterruptedException {
        return state.await(() -> state.requests.stream().filter(predicate).findFirst(), timeout,
                () -> "for a matching request; received: " + requestLines());
    }

    /** Waits until {@code count} requests match {@code predicate}; returns the first {@code count} of them. */
    public List<RecordedRequest> awaitRequests(Predicate<RecordedRequest> predicate, int count, Duration timeout)
            throws InterruptedException {
        return state.await(() -> {
            List<RecordedRequest> matching = state.requests.stream().filter(predicate).limit(count)
                    .collect(Collectors.toList());
            return matching.size() >= count ? Optional.of(matching) : Optional.empty();
        }, timeout, () -> "for " + count + " matching requests; received: " + requestLines());
    }

    /** Waits until some worker record satisfies {@code predicate}; returns its snapshot. */
    public WorkerView awaitWorker(Predicate<WorkerView> predicate, Duration timeout) throws InterruptedException {
        return state.await(() -> state.workers.values().stream().map(WorkerRecord::view).filter(predicate)
                .findFirst(), timeout, () -> "for a matching worker; workers: " + state.workers.values().stream()
                .map(WorkerRecord::view).collect(Collectors.toList()));
    }

    private String requestLines() {
        return state.requests.stream().map(r -> r.line() + "→" + r.status()).collect(Collectors.joining(", "));
    }

    private static String summary(TaskView t) {
        return "status=" + t.status() + " activity=" + t.activity() + " worker=" + t.workerId() + " updates="
                + t.updates().size();
    }
}
