package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.model.ExecutionId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer held back because too much is uncommitted (the disk is slow or locked) must not hold the outbox's lock
 * while it waits: other executions, the timers and the committer's own resume step need it meanwhile.
 */
@Timeout(60)
class BackPressureTest {
    private static final String TASK = "5c8f0a9b1d2e3f4a5b6c7d8e";

    @TempDir
    Path dir;
    private SqliteOutbox outbox;
    private Connection blocker;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() throws Exception {
        if (blocker != null) {
            blocker.close();
        }
        pool.shutdownNow();
        if (outbox != null) {
            outbox.close();
        }
    }

    @Test
    void aProducerWaitingForRoom_doesNotBlockOtherCallers() throws Exception {
        Path db = dir.resolve("queue.db");
        outbox = SqliteOutbox.open(new OutboxSettings(db, Duration.ofHours(1), Duration.ofHours(1), 1000, 0),
                new SystemClock());
        blocker = QueueDatabase.connect(db);
        try (Statement st = blocker.createStatement()) {
            st.execute("BEGIN IMMEDIATE"); // another writer holds the file: the committer cannot commit
        }
        ExecutionId exec = outbox.beginExecution(TASK);
        List<String> lines = Collections.nCopies(100, "x".repeat(1000));
        AtomicReference<Thread> producerThread = new AtomicReference<>();
        Future<?> producer = pool.submit(() -> {
            producerThread.set(Thread.currentThread());
            for (int i = 0; i < 100; i++) { // ≈ 20 MB of pending weight, well past the 8 MiB bound
                outbox.captureLogs(exec, lines);
            }
            return null;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> producerThread.get() != null
                && producerThread.get().getState() == Thread.State.WAITING);

        CompletableFuture<ExecutionId> other = CompletableFuture.supplyAsync(() -> {
            try {
                return outbox.beginExecution("5c8f0a9b1d2e3f4a5b6c7d8f");
            } catch (OutboxException e) {
                throw new IllegalStateException(e);
            }
        }, pool);

        assertThat(other.get(5, TimeUnit.SECONDS).taskId()).isEqualTo("5c8f0a9b1d2e3f4a5b6c7d8f");
        assertThat(producer).isNotDone();
        try (Statement st = blocker.createStatement()) {
            st.execute("ROLLBACK");
        }
        producer.get(30, TimeUnit.SECONDS);
    }
}
