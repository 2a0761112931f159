package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.model.ExecutionId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAL is checkpointed by the committer's thread, outside write transactions, once enough was written by it or
 * by the sender's store; never by a commit (real SQLite files).
 */
@Timeout(60)
class CheckpointTest {
    private static final String TASK = "5c8f0a9b1d2e3f4a5b6c7d8e";

    @TempDir
    Path dir;
    private Connection conn;
    private Committer committer;
    private SqliteOutbox outbox;

    @AfterEach
    void tearDown() throws Exception {
        if (committer != null) {
            committer.close();
            conn.close();
        }
        if (outbox != null) {
            outbox.close();
        }
    }

    private Path db() {
        return dir.resolve("queue.db");
    }

    private void startCommitter(long checkpointBytes) throws Exception {
        conn = QueueDatabase.open(db(), Instant.now());
        committer = new Committer(conn, new ReentrantLock(), db(), LogChunk.Limits.forRequests(1000),
                new Committer.Tuning(Duration.ZERO, checkpointBytes), new SystemClock(), () -> { }, () -> { });
        committer.start();
    }

    private static List<Op> activities(long firstSeq, int n, int size) {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(new Op.Insert(firstSeq + i, "task", "exec-1", Op.Kind.ACTIVITY, false, false, false,
                    "{\"activity\":\"" + "x".repeat(size) + "\"}", 0, 0));
        }
        return ops;
    }

    @Test
    void connections_neverCheckpointOnCommit() throws Exception {
        try (Connection c = QueueDatabase.connect(db()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA wal_autocheckpoint")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void committedBytes_bringACheckpoint_thatMovesThemIntoTheDatabaseFile() throws Exception {
        startCommitter(256 * 1024);
        long before = Files.size(db());

        committer.awaitCommitted(committer.enqueue(activities(1, 40, 10_000))); // ≈ 400 KB

        await().atMost(Duration.ofSeconds(10)).until(() -> committer.checkpoints() >= 1);
        assertThat(Files.size(db())).as("the checkpoint copied the rows from the WAL")
                .isGreaterThan(before + 256 * 1024);
    }

    @Test
    void aWalThatGrewInABurst_isCutBackToTheLimitOnceItRestarts() throws Exception {
        startCommitter(256 * 1024);
        Path wal = Path.of(db() + "-wal");
        try (Connection reader = QueueDatabase.connect(db()); Statement st = reader.createStatement()) {
            // A reader's open snapshot (the sender reading a batch) keeps checkpoints from catching up meanwhile.
            reader.setAutoCommit(false);
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM task_update_outbox")) {
                rs.next();
            }
            long seq = 1;
            for (int i = 0; i < 12; i++) { // ≈ 12 MB
                committer.awaitCommitted(committer.enqueue(activities(seq, 100, 10_000)));
                seq += 100;
            }
            reader.commit();
        }
        assertThat(Files.size(wal)).isGreaterThan(QueueDatabase.WAL_SIZE_LIMIT);
        long before = committer.checkpoints();
        committer.wroteElsewhere(Committer.CHECKPOINT_BYTES); // a checkpoint is due again, now that it can finish
        await().atMost(Duration.ofSeconds(10)).until(() -> committer.checkpoints() > before);

        // The first write after a complete checkpoint restarts the WAL from its beginning, and cuts the file.
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong(1_000_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            committer.awaitCommitted(committer.enqueue(activities(next.getAndIncrement(), 1, 10)));
            return Files.size(wal) <= QueueDatabase.WAL_SIZE_LIMIT;
        });
    }

    @Test
    void belowTheThreshold_noCheckpoint() throws Exception {
        startCommitter(4L * 1024 * 1024);

        committer.awaitCommitted(committer.enqueue(activities(1, 20, 10_000))); // ≈ 200 KB

        assertThat(committer.checkpoints()).isZero();
    }

    @Test
    void writesOfTheStoreAlone_wakeTheIdleCommitterForACheckpoint() throws Exception {
        startCommitter(100_000);
        committer.awaitCommitted(committer.enqueue(activities(1, 1, 100))); // idle again afterwards
        assertThat(committer.checkpoints()).isZero();

        committer.wroteElsewhere(60_000);
        committer.wroteElsewhere(60_000); // a drain: nothing captured, the store removes what was delivered

        await().atMost(Duration.ofSeconds(10)).until(() -> committer.checkpoints() == 1);
    }

    @Test
    void afterALostWrite_itsWaiterGetsTheError_andTheStoresWritesAreStillCheckpointed() throws Exception {
        startCommitter(100_000);
        try (Statement st = conn.createStatement()) {
            st.execute("DROP TABLE task_update_outbox"); // every insert fails from now on, and not for lack of room
        }
        long ticket = committer.enqueue(activities(1, 1, 100));
        // Lost, so its producer is told so rather than that it was committed.
        assertThat(catchThrowable(() -> committer.awaitCommitted(ticket))).isInstanceOf(OutboxException.class);

        committer.wroteElsewhere(200_000); // the sender still removes what it delivers

        await().atMost(Duration.ofSeconds(10)).until(() -> committer.checkpoints() == 1);
    }

    @Test
    void theSendersRemovals_countTowardsTheCheckpoint() throws Exception {
        startCommitter(Committer.CHECKPOINT_BYTES);
        int requests = (int) (Committer.CHECKPOINT_BYTES / Committer.TRANSACTION_PAGES_BYTES) + 10;
        List<Op> ops = new ArrayList<>();
        for (int i = 1; i <= requests; i++) { // one execution per row: one removal each
            ops.add(new Op.Insert(i, TASK, "exec-" + i, Op.Kind.LOG, false, false, false, "line " + i, 6, 0));
            ops.add(new Op.Release("exec-" + i, i, i, i, false));
        }
        committer.awaitCommitted(committer.enqueue(ops));
        long before = committer.checkpoints();

        try (QueueStore store = new QueueStore(QueueDatabase.connect(db()), new ReentrantLock(), db(),
                committer::wroteElsewhere)) {
            for (int i = 0; i < requests; i++) {
                store.delete(store.nextBatch(1, Sender.MAX_LOG_BYTES_PER_REQUEST).orElseThrow());
            }
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> committer.checkpoints() > before);
    }
}
