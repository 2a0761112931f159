package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.flamenco.worker.clock.SystemClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The committer against a queue file that stops taking writes (SQLite's own "database or disk is full"). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommitterTest {
    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger committerLog = (Logger) LoggerFactory.getLogger(Committer.class);
    private Connection conn;
    private Committer committer;

    @BeforeEach
    void setUp() throws Exception {
        logs.start();
        committerLog.addAppender(logs);
        conn = QueueDatabase.open(dir.resolve("queue.db"), Instant.now());
        committer = new Committer(conn, new ReentrantLock(), dir.resolve("queue.db"),
                LogChunk.Limits.forRequests(1000), new Committer.Tuning(Duration.ZERO, Committer.CHECKPOINT_BYTES),
                new SystemClock(), () -> { }, () -> { });
        committer.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        committer.close();
        conn.close();
        committerLog.detachAppender(logs);
    }

    private void execute(String sql) throws Exception {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    /** The file may not grow beyond its current size: the next big insert fails with SQLITE_FULL. */
    private void fillTheDisk() throws Exception {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA page_count")) {
            rs.next();
            execute("PRAGMA max_page_count = " + rs.getLong(1));
        }
    }

    private static List<Op> activities(long firstSeq, int n) {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(new Op.Insert(firstSeq + i, "task", "exec-1", Op.Kind.ACTIVITY, false, false, false,
                    "{\"activity\":\"" + "x".repeat(20_000) + i + "\"}", 0, 0));
        }
        return ops;
    }

    private List<String> messages(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static Op.Insert logLine(long seq, String text) {
        return new Op.Insert(seq, "task", "exec-1", Op.Kind.LOG, false, false, false, text, text.length(), 0);
    }

    @Test
    void ticket_countsEveryLineOfAChunkMadeByTheProducer() throws Exception {
        LogChunk chunk = new LogChunk(logLine(1, "a"), LogChunk.Limits.forRequests(1000), 250, 5, "ts");
        for (int seq = 2; seq <= 5; seq++) {
            assertThat(chunk.append(seq, "line " + seq, 6)).isTrue();
        }

        long afterChunk = committer.enqueue(List.of(chunk));
        long afterLine = committer.enqueue(List.of(logLine(6, "f")));

        assertThat(afterChunk).isEqualTo(5);
        assertThat(afterLine).isEqualTo(6);
        committer.awaitCommitted(afterLine);
        assertThat(QueueFile.count(dir.resolve("queue.db"), "SELECT sum(lines) FROM task_update_outbox"))
                .isEqualTo(6);
    }

    @Test
    void fullDisk_keepsTheCapturedUpdatesAndWritesThemWhenThereIsRoomAgain() throws Exception {
        fillTheDisk();

        long ticket = committer.enqueue(activities(1, 10));

        await().atMost(Duration.ofSeconds(20)).until(() -> !messages(Level.ERROR).isEmpty());
        assertThat(messages(Level.ERROR)).singleElement().asString()
                .contains("database or disk is full").contains("keeping what was captured in memory")
                .doesNotContain("no transaction is active");
        assertThat(QueueFile.count(dir.resolve("queue.db"), "SELECT count(*) FROM task_update_outbox")).isZero();

        execute("PRAGMA max_page_count = 1000000"); // room again

        committer.awaitCommitted(ticket);
        assertThat(QueueFile.count(dir.resolve("queue.db"), "SELECT count(*) FROM task_update_outbox"))
                .isEqualTo(10);
        assertThat(messages(Level.INFO)).anyMatch(m -> m.contains("writable again"));
    }

    @Test
    void fullDiskAtClose_reportsWhatIsLostInsteadOfHanging() throws Exception {
        fillTheDisk();
        committer.enqueue(activities(1, 3));
        await().atMost(Duration.ofSeconds(20)).until(() -> !messages(Level.ERROR).isEmpty());

        long started = System.nanoTime();
        committer.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(messages(Level.ERROR)).last().asString().contains("3 captured updates are lost")
                .contains("database or disk is full");
    }
}
