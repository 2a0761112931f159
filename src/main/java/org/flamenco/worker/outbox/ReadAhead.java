package org.flamenco.worker.outbox;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.model.LogText;
import org.flamenco.worker.model.TaskUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's read-ahead ({@code fw-sender-read}): while a request is with the Manager, reads the group that follows
 * it and escapes its log into JSON, so the next request is ready when the answer comes. The group is used only when
 * the request was delivered (see {@link QueueStore#nextBatchAfter}); after any other outcome it is dropped and the
 * head is read again. Used by the sender thread only.
 */
final class ReadAhead implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sender.class); // part of the sender

    private final DeliveryQueue queue;
    private final long maxLogBytes;
    private final ExecutorService executor;
    private Future<Optional<Batch>> ahead;
    private boolean usable;

    ReadAhead(DeliveryQueue queue, long maxLogBytes) {
        this.queue = queue;
        this.maxLogBytes = maxLogBytes;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fw-sender-read");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts reading the group after {@code b} (and escaping its log) while {@code b} is being sent. */
    void start(Batch b) {
        try {
            ahead = executor.submit(() -> {
                Optional<Batch> next = queue.after(b, maxLogBytes);
                next.map(Batch::update).map(TaskUpdate::logText).ifPresent(LogText::json);
                return next;
            });
        } catch (RejectedExecutionException e) {
            ahead = null; // closing
        }
    }

    /** The group being sent was delivered: what was read after it is the next head. */
    void delivered() {
        usable = true;
    }

    /** The group read ahead during the last request, if that request was delivered and the read found one. */
    Optional<Batch> take() throws InterruptedException {
        Future<Optional<Batch>> f = ahead;
        boolean wasUsable = usable;
        ahead = null;
        usable = false;
        if (f == null) {
            return Optional.empty();
        }
        if (!wasUsable) {
            f.cancel(false);
            return Optional.empty();
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            LOG.debug("Reading ahead in the update queue failed; reading the head again", e.getCause());
            return Optional.empty();
        }
    }

    /** Stops the thread within 10 s. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Update sender's read-ahead did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
