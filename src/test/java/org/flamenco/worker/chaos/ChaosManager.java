package org.flamenco.worker.chaos;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.flamenco.worker.embedded.CannedReply;
import org.flamenco.worker.embedded.RecordedRequest;
import org.flamenco.worker.embedded.TaskView;
import org.flamenco.worker.embedded.WorkerView;

/**
 * The embedded Manager of one protocol as a chaos run uses it ({@link V2ChaosManager}, {@link V3ChaosManager}). Views
 * come in the v2 shape (a v3 task's {@code taskStatus} updates read as {@code task_status}), so the ledger checks
 * both the same way; paths are given in v2 spelling and translated by {@link #path}.
 */
interface ChaosManager extends AutoCloseable {
    /** Worker config keys this protocol needs (protocol, task types). */
    java.util.Map<String, String> workerKeys();

    String url();

    void stop();

    void restart() throws IOException;

    boolean isRunning();

    /** Queues one task of {@code shaped}; returns its id. */
    String addTask(TaskShapes.Shaped shaped);

    String taskStatus(String taskId);

    TaskView task(String taskId);

    void cancelTask(String taskId);

    /** The newest worker record (a re-registered worker gets a new one). */
    Optional<WorkerView> newestWorker();

    /** {@code status} in v2 words: {@code shutdown} is v3's {@code offline}. */
    void requestStatusChange(String workerId, String status, boolean lazy);

    /**
     * The prefix (v2 spelling, {@code $} = exact) of this protocol's endpoint; {@code activeTask} is the task running
     * now, for endpoints that only a task's path can single out (v3's may-i-run lives under the update's path).
     */
    String path(String v2Prefix, Optional<String> activeTask);

    /** The exact path of {@code taskId}'s updates, for fault prefixes ({@code $}-terminated) and request counts. */
    String updatePath(String taskId);

    void answerNext(int count, String prefix, CannedReply reply);

    void delayReplies(String prefix, Duration delay);

    void delayRepliesAfterApplying(String prefix, Duration delay);

    void clearFaults();

    List<RecordedRequest> requests(String method, String prefix);

    @Override
    void close();
}
