package org.flamenco.worker.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

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
 * A {@link ManagerApi} that records every task update and answers with scripted outcomes: an HTTP status
 * ({@code 0} meaning a network failure) per call from the script, then 204. {@link #setDown(boolean)} makes every
 * call a network failure until it is set back. Only {@code postUpdate} is supported. Reachable-listeners run after
 * answers below 500 other than 408 and 429, as with the real client. Thread-safe.
 */
public final class RecordingManagerApi implements ManagerApi {
    private static final String ENDPOINT = "POST /tasks/{id}/update";

    /** One call and how it was answered ({@code 204}, another status, or {@code 0} for network). */
    public record Call(TaskUpdate update, int answer) {
    }

    private final Deque<Integer> script = new ArrayDeque<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<Runnable> reachableListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private boolean down;
    private Runnable onceAfterAccepting;

    /** Queues answers for the next calls. */
    public synchronized RecordingManagerApi answer(int... statuses) {
        for (int s : statuses) {
            script.add(s);
        }
        return this;
    }

    /** Runs {@code hook} once, in the next call the Manager accepts, after accepting it and before answering. */
    public synchronized void onceAfterAccepting(Runnable hook) {
        this.onceAfterAccepting = hook;
    }

    public synchronized void setDown(boolean down) {
        this.down = down;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The updates the Manager accepted, in order. */
    public synchronized List<TaskUpdate> delivered() {
        return calls.stream().filter(c -> c.answer() >= 200 && c.answer() < 300).map(Call::update).toList();
    }

    @Override
    public void postUpdate(TaskUpdate update) throws ManagerException {
        int answer;
        Runnable hook = null;
        synchronized (this) {
            answer = down ? 0 : script.isEmpty() ? 204 : script.poll();
            calls.add(new Call(update, answer));
            if (answer >= 200 && answer < 300) {
                hook = onceAfterAccepting;
                onceAfterAccepting = null;
            }
        }
        if (hook != null) {
            hook.run();
        }
        if (answer != 0 && answer < 500 && answer != 408 && answer != 429) {
            reachableListeners.forEach(Runnable::run); // as the real client does, on the calling thread
        }
        if (answer == 0) {
            throw ManagerException.network(ENDPOINT, new java.net.ConnectException("Connection refused"));
        }
        if (answer < 200 || answer >= 300) {
            throw ManagerException.http(ENDPOINT, answer, V2Outcomes.of(answer), "reply " + answer);
        }
    }

    @Override
    public void onReachable(Runnable listener) {
        reachableListeners.add(listener);
    }

    @Override
    public String baseUrl() {
        return "http://recording.invalid/";
    }

    @Override
    public void useCredentials(Credentials credentials) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String register(Registration registration) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<WorkerStatus> signOn(List<String> supportedTaskTypes, String nickname) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FetchResult fetchTask() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void returnTask(String taskId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MayKeepRunning mayIRun(String taskId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<WorkerStatus> statusChange() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void ackStatusChange(WorkerStatus status) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void signOff() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean canReturnTasks() {
        return true;
    }

    @Override
    public void outputProduced(String taskId, List<String> paths) {
        throw new UnsupportedOperationException();
    }
}
