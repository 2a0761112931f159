package org.flamenco.worker.chaos;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.flamenco.worker.embedded.CannedReply;
import org.flamenco.worker.embedded.LoopbackManager;
import org.flamenco.worker.embedded.RecordedRequest;

/**
 * What a chaos run asks of either embedded Manager and both answer alike: address, outages, faults, task status,
 * requests received. The protocol's subclass ({@link V2ChaosManager}, {@link V3ChaosManager}) adds its tasks, views
 * and paths.
 *
 * @param <M> the embedded Manager of the protocol
 */
abstract class EmbeddedChaosManager<M extends LoopbackManager<M, ?, ?>> implements ChaosManager {
    final M manager;

    /** @param manager started; closed by {@link #close()} */
    EmbeddedChaosManager(M manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    @Override
    public final String url() {
        return manager.url().toString();
    }

    @Override
    public final void stop() {
        manager.stop();
    }

    @Override
    public final void restart() throws IOException {
        manager.restart();
    }

    @Override
    public final boolean isRunning() {
        return manager.isRunning();
    }

    @Override
    public final String taskStatus(String taskId) {
        return manager.taskStatus(taskId);
    }

    @Override
    public final void cancelTask(String taskId) {
        manager.cancelTask(taskId);
    }

    @Override
    public final void answerNext(int count, String prefix, CannedReply reply) {
        manager.answerNext(count, prefix, reply);
    }

    @Override
    public final void delayReplies(String prefix, Duration delay) {
        manager.delayReplies(prefix, delay);
    }

    @Override
    public final void delayRepliesAfterApplying(String prefix, Duration delay) {
        manager.delayRepliesAfterApplying(prefix, delay);
    }

    @Override
    public final void clearFaults() {
        manager.clearFaults();
    }

    @Override
    public List<RecordedRequest> requests(String method, String prefix) {
        return manager.requests(method, prefix);
    }

    @Override
    public final void close() {
        manager.close();
    }
}
