package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.model.ExecutionId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committer and the sender's store write to the queue file in turns, on one lock they share, instead of finding
 * the file locked and polling with sleeps (SQLite's busy handler). The test holds that lock as a write in progress
 * would, and checks that each writer waits for it and goes on once it is free.
 */
@Timeout(30)
class WriteTurnsTest {
    private static final String TASK = "5c8f0a9b1d2e3f4a5b6c7d8e";

    @TempDir
    Path dir;
    private SqliteOutbox outbox;
    private ReentrantLock writes;

    @BeforeEach
    void open() throws Exception {
        outbox = SqliteOutbox.open(new OutboxSettings(dir.resolve("queue.db"), Duration.ofHours(1),
                Duration.ofHours(1), 1000, 0), new SystemClock(), Duration.ZERO);
        writes = outbox.store().writeLock();
    }

    @AfterEach
    void close() {
        if (writes.isHeldByCurrentThread()) {
            writes.unlock();
        }
        outbox.close();
    }

    /** Rows in the file, read on a connection of its own (the store's would wait for the test's lock). */
    private long rows() throws Exception {
        return QueueFile.count(dir.resolve("queue.db"), "SELECT count(*) FROM task_update_outbox");
    }

    @Test
    void aCommit_waitsForTheStoresWriteInProgress_andHappensOnceItEnds() throws Exception {
        ExecutionId exec = outbox.beginExecution(TASK);
        writes.lock(); // the sender's store is removing a delivered update
        outbox.captureLog(exec, "captured meanwhile");
        CompletableFuture<Void> committed = CompletableFuture.runAsync(() -> {
            try {
                outbox.awaitCommitted();
            } catch (OutboxException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(writes::hasQueuedThreads); // the committer waits for its turn
        assertThat(committed).isNotDone();
        assertThat(rows()).isZero();

        writes.unlock();
        committed.get(10, TimeUnit.SECONDS);
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void aRemoval_waitsForTheCommittersWriteInProgress_andHappensOnceItEnds() throws Exception {
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureLog(exec, "l1");
        outbox.endExecution(exec);
        outbox.awaitCommitted();
        Batch head = outbox.store().nextBatch(1000, Sender.MAX_LOG_BYTES_PER_REQUEST).orElseThrow();

        writes.lock(); // the committer is writing captured output
        CompletableFuture<Void> removed = CompletableFuture.runAsync(() -> {
            try {
                outbox.store().delete(head);
            } catch (OutboxException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(writes::hasQueuedThreads); // the removal waits for its turn
        assertThat(removed).isNotDone();
        assertThat(rows()).isEqualTo(1);

        writes.unlock();
        removed.get(10, TimeUnit.SECONDS);
        assertThat(rows()).isZero();
    }
}
