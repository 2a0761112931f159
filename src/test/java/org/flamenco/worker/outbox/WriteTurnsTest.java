package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.flamenco.worker.clock.SystemClock;
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
    private final ReentrantLock writes = new ReentrantLock();
    private Connection conn;
    private Committer committer;
    private QueueStore store;

    @BeforeEach
    void open() throws Exception {
        Path db = dir.resolve("queue.db");
        conn = QueueDatabase.open(db, Instant.now());
        committer = new Committer(conn, writes, db, LogChunk.Limits.forRequests(1000),
                new Committer.Tuning(Duration.ZERO, Committer.CHECKPOINT_BYTES), new SystemClock(), () -> { },
                () -> { });
        committer.start();
        store = new QueueStore(QueueDatabase.connect(db), writes, db, committer::wroteElsewhere);
    }

    @AfterEach
    void close() throws Exception {
        if (writes.isHeldByCurrentThread()) {
            writes.unlock();
        }
        committer.close();
        store.close();
        conn.close();
    }

    /** Rows in the file, read on a connection of its own (the store's would wait for the test's lock). */
    private long rows() throws Exception {
        return QueueFile.count(dir.resolve("queue.db"), "SELECT count(*) FROM task_update_outbox");
    }

    private static Op.Insert line(long seq, String text) {
        return new Op.Insert(seq, TASK, "exec-1", Op.Kind.LOG, false, false, false, text, text.length(), 0);
    }

    @Test
    void aCommit_waitsForTheStoresWriteInProgress_andHappensOnceItEnds() throws Exception {
        writes.lock(); // the sender's store is removing a delivered update
        long ticket = committer.enqueue(List.of(line(1, "captured meanwhile")));
        CompletableFuture<Void> committed = CompletableFuture.runAsync(() -> {
            try {
                committer.awaitCommitted(ticket);
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
        committer.awaitCommitted(committer.enqueue(List.of(line(1, "l1"), new Op.Release("exec-1", 1, 1, 1, false))));
        Batch head = store.nextBatch(1000, Sender.MAX_LOG_BYTES_PER_REQUEST).orElseThrow();

        writes.lock(); // the committer is writing captured output
        CompletableFuture<Void> removed = CompletableFuture.runAsync(() -> {
            try {
                store.delete(head);
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
