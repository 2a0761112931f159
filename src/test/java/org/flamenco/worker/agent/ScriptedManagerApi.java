package org.flamenco.worker.agent;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

import org.flamenco.worker.manager.FetchResult;
import org.flamenco.worker.manager.ManagerApi;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.MayKeepRunning;
import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.manager.v2.V2Outcomes;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.TaskUpdate;
import org.flamenco.worker.model.WorkerStatus;

/**
 * A Manager whose answers are scripted per endpoint and whose calls are recorded in order. Unscripted calls get the
 * endpoint's idle answer (204 / true / empty). Thread-safe.
 */
final class ScriptedManagerApi implements ManagerApi {
    /** One scripted answer: a value or an exception. */
    record Answer(Object value, ManagerException error) {
        static Answer of(Object v) {
            return new Answer(v, null);
        }

        static Answer fail(int status) {
            return new Answer(null, ManagerException.http("/x", status, V2Outcomes.of(status), "scripted " + status));
        }

        static Answer network() {
            return new Answer(null, ManagerException.network("/x", new java.net.ConnectException("refused")));
        }
    }

    final List<String> calls = new CopyOnWriteArrayList<>();
    final Deque<Answer> fetch = new ConcurrentLinkedDeque<>();
    final Deque<Answer> mayIRun = new ConcurrentLinkedDeque<>();
    final Deque<Answer> statusChange = new ConcurrentLinkedDeque<>();
    final Deque<Answer> register = new ConcurrentLinkedDeque<>();
    final Deque<Answer> signOn = new ConcurrentLinkedDeque<>();
    final Deque<Answer> returns = new ConcurrentLinkedDeque<>();
    final Deque<Answer> outputs = new ConcurrentLinkedDeque<>();
    final Deque<Answer> acks = new ConcurrentLinkedDeque<>();
    volatile RuntimeException fetchBug;
    /** When set, {@code /status-change} hangs like a Manager that never answers (until interrupted). */
    volatile java.util.concurrent.CountDownLatch statusChangeHang;
    /** When set, {@code /may-i-run} counts down {@link #mayIRunEntered} and waits for this latch before answering. */
    volatile java.util.concurrent.CountDownLatch mayIRunHang;
    final java.util.concurrent.CountDownLatch mayIRunEntered = new java.util.concurrent.CountDownLatch(1);
    volatile Credentials credentials;
    /** When set, {@code /register-worker} waits for this latch before answering. */
    volatile java.util.concurrent.CountDownLatch registerHang;

    @Override
    public String baseUrl() {
        return "http://scripted";
    }

    @Override
    public void useCredentials(Credentials c) {
        credentials = c;
    }

    @Override
    public void onReachable(Runnable listener) {
    }

    @Override
    public String register(Registration registration) throws ManagerException {
        calls.add("register");
        java.util.concurrent.CountDownLatch hang = registerHang;
        if (hang != null) {
            try {
                hang.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ManagerException.network("/register-worker", new java.io.InterruptedIOException());
            }
        }
        return (String) next(register, "0123456789abcdef01234567");
    }

    @Override
    public Optional<WorkerStatus> signOn(List<String> types, String nickname) throws ManagerException {
        calls.add("sign-on");
        Object requested = next(signOn, null);
        return requested instanceof WorkerStatus status ? Optional.of(status) : Optional.empty();
    }

    @Override
    public FetchResult fetchTask() throws ManagerException {
        calls.add("task");
        RuntimeException bug = fetchBug;
        if (bug != null) {
            fetchBug = null;
            throw bug;
        }
        return (FetchResult) next(fetch, new FetchResult.NoTask());
    }

    @Override
    public void postUpdate(TaskUpdate update) {
        calls.add("update " + update.taskId());
    }

    @Override
    public void returnTask(String taskId) throws ManagerException {
        calls.add("return " + taskId);
        next(returns, null);
    }

    @Override
    public MayKeepRunning mayIRun(String taskId) throws ManagerException {
        calls.add("may-i-run " + taskId);
        java.util.concurrent.CountDownLatch hang = mayIRunHang;
        if (hang != null) {
            mayIRunEntered.countDown();
            try {
                hang.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return (MayKeepRunning) next(mayIRun, MayKeepRunning.yes());
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<WorkerStatus> statusChange() throws ManagerException {
        calls.add("status-change");
        java.util.concurrent.CountDownLatch hang = statusChangeHang;
        if (hang != null) {
            try {
                hang.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // as OkHttp does: the call fails, the flag stays set
                throw ManagerException.network("/status-change", new java.io.InterruptedIOException());
            }
        }
        return (Optional<WorkerStatus>) next(statusChange, Optional.empty());
    }

    @Override
    public void ackStatusChange(WorkerStatus status) throws ManagerException {
        calls.add("ack " + status.wire());
        next(acks, null);
    }

    @Override
    public void signOff() {
        calls.add("sign-off");
    }

    @Override
    public boolean canReturnTasks() {
        return true;
    }

    @Override
    public void outputProduced(String taskId, List<String> paths) throws ManagerException {
        calls.add("output " + paths);
        next(outputs, null);
    }

    List<String> callsSnapshot() {
        return new ArrayList<>(calls);
    }

    long count(String call) {
        return calls.stream().filter(call::equals).count();
    }

    private static Object next(Deque<Answer> script, Object idle) throws ManagerException {
        Answer a = script.pollFirst();
        if (a == null) {
            return idle;
        }
        if (a.error() != null) {
            throw a.error();
        }
        return a.value();
    }
}
