package org.flamenco.worker.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.model.TaskStatus;
import org.flamenco.worker.testing.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SqliteOutboxTest {
    private static final String TASK = "5c8f0a9b1d2e3f4a5b6c7d8e";

    @TempDir
    Path dir;
    private final FakeClock clock = new FakeClock(Instant.parse("2020-03-12T10:00:00.123456Z"));
    private final List<SqliteOutbox> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(SqliteOutbox::close);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("fw-") && t.isAlive());
    }

    private Path db() {
        return dir.resolve("flamenco-worker.db");
    }

    private SqliteOutbox open(int maxEntries, long cap) throws OutboxException {
        return openAt(db(), maxEntries, cap);
    }

    private SqliteOutbox openAt(Path file, int maxEntries, long cap) throws OutboxException {
        SqliteOutbox o = SqliteOutbox.open(new OutboxSettings(file, Duration.ofSeconds(15), Duration.ofSeconds(30),
                maxEntries, cap), clock);
        opened.add(o);
        return o;
    }

    /** Captures {@code lines} one at a time into a queue of its own, ending the execution or not; returns its file. */
    private Path capturedOneByOne(List<String> lines, int maxEntries, long cap, boolean end) throws Exception {
        Path file = dir.resolve("one-by-one.db");
        SqliteOutbox outbox = openAt(file, maxEntries, cap);
        ExecutionId exec = outbox.beginExecution(TASK);
        for (String line : lines) {
            outbox.captureLog(exec, line);
        }
        if (end) {
            outbox.endExecution(exec);
        } else {
            outbox.awaitCommitted();
        }
        return file;
    }

    private static ActivitySnapshot snapshot(TaskStatus status, String activity) {
        return new ActivitySnapshot(status, activity, 0, 0, 0, Map.of());
    }

    @Test
    void captureLog_prefixesTheCaptureTimeInUtcWithSixFractionDigits() throws Exception {
        SqliteOutbox outbox = open(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);

        outbox.captureLog(exec, "blender_render: Starting");
        outbox.awaitCommitted();

        assertThat(QueueFile.column(db(), "SELECT payload FROM task_update_outbox"))
                .containsExactly("2020-03-12T10:00:00.123456+00:00: blender_render: Starting");
    }

    /** Captures {@code lines} as one burst of a new execution and waits for their commit. */
    private void captureOneBurst(List<String> lines) throws Exception {
        SqliteOutbox outbox = open(1000, 0);
        outbox.captureLogs(outbox.beginExecution(TASK), lines);
        outbox.awaitCommitted();
    }

    /** Each log row's text as it is sent: the timestamp in front of every line. */
    private List<String> sentRows() throws Exception {
        return QueueFile.column(db(), "SELECT " + QueueDatabase.LOG_TEXT + " FROM task_update_outbox ORDER BY seq");
    }

    @Test
    void captureLogs_writesABurstInOrderWithOneCaptureTime() throws Exception {
        captureOneBurst(List.of("pid=7 > one", "pid=7 > two", "pid=7 > drei €"));

        // stored once per row; sent in front of every line
        assertThat(QueueFile.column(db(), "SELECT stamp || '|' || payload FROM task_update_outbox")).containsExactly(
                "2020-03-12T10:00:00.123456+00:00|pid=7 > one\npid=7 > two\npid=7 > drei €");
        assertThat(sentRows())
                .containsExactly("2020-03-12T10:00:00.123456+00:00: pid=7 > one\n"
                        + "2020-03-12T10:00:00.123456+00:00: pid=7 > two\n"
                        + "2020-03-12T10:00:00.123456+00:00: pid=7 > drei €");
        assertThat(QueueFile.elements(db())).containsExactly("log:0", "log:0", "log:0");
        long prefix = "2020-03-12T10:00:00.123456+00:00: pid=7 > ".length();
        assertThat(QueueFile.count(db(), "SELECT log_bytes FROM task_update_outbox"))
                .isEqualTo(3 * prefix + "one".length() + "two".length() + "drei €".getBytes(UTF_8).length);
    }

    @Test
    void captureLogs_aLineHoldingANewline_isStoredAsSentInARowOfItsOwn() throws Exception {
        captureOneBurst(List.of("a", "b\nc", "d"));

        String ts = "2020-03-12T10:00:00.123456+00:00: ";
        assertThat(sentRows()).containsExactly(ts + "a", ts + "b\nc", ts + "d");
        assertThat(QueueFile.elements(db())).containsExactly("log:0", "log:0", "log:0");
    }

    @Test
    void captureLogs_releasesAtTheSameLinesAsCapturingOneLineAtATime() throws Exception {
        List<String> lines = IntStream.range(0, 23).mapToObj(i -> "line " + i).toList();
        SqliteOutbox burst = open(5, 0);
        ExecutionId exec = burst.beginExecution(TASK);
        burst.captureLogs(exec, lines.subList(0, 4));
        burst.captureLogs(exec, lines.subList(4, 23));
        burst.awaitCommitted();
        List<String> burstPushes = linesAndPushes(db());
        burst.close();

        Path single = capturedOneByOne(lines, 5, 0, false);

        // more than 5 pending lines release at once: pushes of 6 lines, the last 5 lines still held
        assertThat(burstPushes).isEqualTo(linesAndPushes(single))
                .containsExactlyElementsOf(IntStream.range(0, 23).mapToObj(i -> "line " + i + " push "
                        + (i < 18 ? Integer.toString(i / 6 + 1) : "none")).toList());
    }

    /** "text push N" per log line, in order (N: the push id counted from the first one, or none). */
    private static List<String> linesAndPushes(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        long first = QueueFile.count(file, "SELECT coalesce(min(push_id), 0) FROM task_update_outbox");
        for (String row : QueueFile.column(file, "SELECT coalesce(push_id, 'none') || '|' || " + QueueDatabase.LOG_TEXT
                + " FROM task_update_outbox ORDER BY seq")) {
            String push = row.substring(0, row.indexOf('|'));
            String shown = push.equals("none") ? push : Long.toString(Long.parseLong(push) - first + 1);
            for (String line : row.substring(row.indexOf('|') + 1).split("\n")) {
                out.add(line.substring(line.indexOf(": ") + 2) + " push " + shown);
            }
        }
        return out;
    }

    @Test
    void captureLogs_laysRowsOnAGridOfTheExecutionsLinesSoThatRowsFillRequests() throws Exception {
        SqliteOutbox outbox = open(1000, 0); // 250 lines per row, 4 rows per request of 1000
        ExecutionId exec = outbox.beginExecution(TASK);
        for (int i = 0; i < 10; i++) {
            outbox.captureLog(exec, "single " + i);
        }
        outbox.awaitCommitted();
        long singleRows = QueueFile.count(db(), "SELECT count(*) FROM task_update_outbox");

        outbox.captureLogs(exec, IntStream.range(0, 600).mapToObj(i -> "burst " + i).toList());
        outbox.captureLogs(exec, IntStream.range(0, 300).mapToObj(i -> "next burst " + i).toList());
        outbox.awaitCommitted();

        List<String> rows = QueueFile.column(db(), "SELECT lines FROM task_update_outbox ORDER BY seq");
        assertThat(rows.subList((int) singleRows, rows.size())).containsExactly("240", "250", "110", "140", "160");
    }

    @Test
    void captureLogs_overTheLogCap_keepsTheSameHeadMarkerAndTailAsOneLineAtATime() throws Exception {
        List<String> lines = IntStream.range(0, 300).mapToObj(i -> String.format("line %04d", i)).toList();
        SqliteOutbox burst = open(1000, 4000);
        ExecutionId exec = burst.beginExecution(TASK);
        burst.captureLogs(exec, lines.subList(0, 50));
        burst.captureLogs(exec, lines.subList(50, 300));
        burst.endExecution(exec);
        List<String> burstLog = QueueFile.logTexts(db(), "1");
        burst.close();

        Path single = capturedOneByOne(lines, 1000, 4000, true);

        assertThat(burstLog).isEqualTo(QueueFile.logTexts(single, "1"));
        assertThat(burstLog).hasSizeLessThan(300).startsWith("line 0000").endsWith("line 0299")
                .anyMatch(l -> l.startsWith("flamenco-worker: ") && l.contains("log lines ("));
    }

    @Test
    void statusChangeAfterABurst_returnsOnlyOnceTheWholeBurstIsCommitted() throws Exception {
        SqliteOutbox outbox = open(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureLogs(exec, IntStream.range(0, 5000).mapToObj(i -> "line " + i).toList());

        outbox.captureActivity(exec, snapshot(TaskStatus.COMPLETED, "done"));

        List<String> elements = QueueFile.elements(db());
        assertThat(elements).hasSize(5001).last().isEqualTo("activity:1");
        assertThat(elements).containsOnly("log:1", "activity:1");
    }

    @Test
    void statusChange_isCommittedAndSendableWithEverythingBeforeItWhenCaptureReturns() throws Exception {
        SqliteOutbox outbox = open(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureLog(exec, "one");
        outbox.captureLog(exec, "two");

        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "starting"));

        assertThat(QueueFile.elements(db())).containsExactly("log:1", "log:1", "activity:1");
        assertThat(QueueFile.count(db(), "SELECT count(*) FROM task_update_outbox WHERE status_change = 1"))
                .isEqualTo(1);
    }

    @Test
    void activityChangesWithinTheInterval_areReleasedTogetherByTheTimer() throws Exception {
        SqliteOutbox outbox = open(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureActivity(exec, snapshot(null, "a"));
        clock.advance(Duration.ofSeconds(5));
        outbox.captureActivity(exec, snapshot(null, "b"));
        outbox.awaitCommitted();
        assertThat(QueueFile.elements(db())).containsExactly("activity:0", "activity:0");

        clock.advance(Duration.ofSeconds(10));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(QueueFile.elements(db())).containsExactly("activity:1", "activity:1"));
        assertThat(outbox.state().undeliveredPushes()).isEqualTo(1);
    }

    @Test
    void moreThanMaxEntriesPendingLines_areReleasedAtOnce() throws Exception {
        SqliteOutbox outbox = open(3, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        for (int i = 0; i < 3; i++) {
            outbox.captureLog(exec, "line " + i);
        }
        outbox.awaitCommitted();
        assertThat(QueueFile.elements(db())).containsOnly("log:0");

        outbox.captureLog(exec, "line 3");
        outbox.awaitCommitted();

        assertThat(QueueFile.elements(db())).hasSize(4).containsOnly("log:1");
    }

    @Test
    void logLine_isReleasedByTheLogTimerAfterTheInterval() throws Exception {
        SqliteOutbox outbox = open(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureLog(exec, "quiet process");
        outbox.awaitCommitted();
        clock.advance(Duration.ofSeconds(29));
        outbox.awaitCommitted();
        assertThat(QueueFile.elements(db())).containsExactly("log:0");

        clock.advance(Duration.ofSeconds(1));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(QueueFile.elements(db())).containsExactly("log:1"));
    }

    @Test
    void lineAfterALongQuietSpell_isReleasedAtOnce() throws Exception {
        SqliteOutbox outbox = open(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        clock.advance(Duration.ofSeconds(31));

        outbox.captureLog(exec, "late");
        outbox.awaitCommitted();

        assertThat(QueueFile.elements(db())).containsExactly("log:1");
    }

    @Test
    void lastReleaseTimeCarriesOverToTheNextTask() throws Exception {
        SqliteOutbox outbox = open(1000, 0);
        clock.advance(Duration.ofSeconds(20));
        ExecutionId first = outbox.beginExecution(TASK);
        outbox.captureActivity(first, snapshot(null, "released at once: 20 s since start"));
        outbox.endExecution(first);
        ExecutionId second = outbox.beginExecution("5c8f0a9b1d2e3f4a5b6c7d8f");

        outbox.captureActivity(second, snapshot(null, "throttled: 0 s since the last release"));
        outbox.awaitCommitted();

        assertThat(QueueFile.elements(db())).containsExactly("activity:1", "activity:0");
    }

    @Test
    void endedExecution_releasesEverythingAndLateLinesGoOutAtOnceUnderItsOwnTask() throws Exception {
        SqliteOutbox outbox = open(1000, 0);
        ExecutionId first = outbox.beginExecution(TASK);
        outbox.captureLog(first, "during");
        outbox.endExecution(first);
        ExecutionId second = outbox.beginExecution("5c8f0a9b1d2e3f4a5b6c7d8f");
        outbox.captureLog(second, "next task");

        outbox.captureLog(first, "returned this task");
        outbox.awaitCommitted();

        assertThat(QueueFile.column(db(), "SELECT task_id || ':' || sendable FROM task_update_outbox ORDER BY seq"))
                .containsExactly(TASK + ":1", "5c8f0a9b1d2e3f4a5b6c7d8f:0", TASK + ":1");
    }

    @Test
    void state_countsUndeliveredPushesAndAnUndeliveredFinalStatus() throws Exception {
        SqliteOutbox outbox = open(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "a"));
        outbox.captureLog(exec, "x");
        assertThat(outbox.state().finalStatusPending()).isFalse();

        outbox.captureActivity(exec, snapshot(TaskStatus.COMPLETED, "done"));

        QueueState state = outbox.state();
        assertThat(state.elements()).isEqualTo(3);
        assertThat(state.undeliveredPushes()).isEqualTo(2);
        assertThat(state.finalStatusPending()).isTrue();
        assertThat(state.blocksFetching()).isTrue();
    }

    @Test
    void reopenedFile_makesLeftoversSendableAtOnce() throws Exception {
        SqliteOutbox first = open(1000, 0);
        ExecutionId exec = first.beginExecution(TASK);
        first.captureLog(exec, "unreleased 1");
        first.captureLog(exec, "unreleased 2");
        first.close();

        SqliteOutbox second = open(1000, 0);

        assertThat(QueueFile.elements(db())).containsExactly("log:1", "log:1");
        assertThat(second.state().undeliveredPushes()).isEqualTo(1);
        assertThat(second.state().elements()).isEqualTo(2);
    }

    @Test
    void legacyQueueRows_areCountedReportedAndLeftUntouched() throws Exception {
        QueueFile.execute(db(), "CREATE TABLE fworker_queue (url TEXT, payload BLOB)",
                "INSERT INTO fworker_queue VALUES ('/tasks/a/update', x'80'), ('/tasks/b/update', x'81'),"
                        + " ('/tasks/c/update', x'82')");

        SqliteOutbox outbox = open(1000, 0);
        outbox.close();

        assertThat(outbox.legacyNotice()).contains(db() + " holds 3 updates queued by the Python worker; they"
                + " cannot be delivered and are left untouched");
        assertThat(QueueFile.column(db(), "SELECT url FROM fworker_queue ORDER BY url"))
                .containsExactly("/tasks/a/update", "/tasks/b/update", "/tasks/c/update");
    }

    @Test
    void emptyLegacyTable_isNotReported() throws Exception {
        QueueFile.execute(db(), "CREATE TABLE fworker_queue (url TEXT, payload BLOB)");

        SqliteOutbox outbox = open(1000, 0);

        assertThat(outbox.legacyNotice()).isEmpty();
    }

    @Test
    void damagedFile_isMovedAsideAndANewQueueIsCreated() throws Exception {
        byte[] garbage = new byte[8192];
        java.util.Arrays.fill(garbage, (byte) 0x5a);
        Files.write(db(), garbage);

        SqliteOutbox outbox = open(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "works"));

        Path moved = dir.resolve("flamenco-worker.db.corrupt-20200312T100000Z");
        assertThat(moved).exists();
        assertThat(Files.readAllBytes(moved)).isEqualTo(garbage);
        assertThat(QueueFile.elements(db())).containsExactly("activity:1");
    }

    @Test
    void fileThatCannotBeCreated_throwsOutboxException() {
        Path impossible = dir.resolve("no-such-dir").resolve("queue.db");

        assertThatThrownBy(() -> SqliteOutbox.open(new OutboxSettings(impossible, Duration.ofSeconds(15),
                Duration.ofSeconds(30), 1000, 0), clock))
                .isInstanceOf(OutboxException.class)
                .hasMessageContaining(impossible.toString());
    }

    @Test
    void fileOfANewerSchemaVersion_isRefusedNamingTheFileAndBothVersions() throws Exception {
        QueueFile.execute(db(), "CREATE TABLE schema_version (version INTEGER NOT NULL)",
                "INSERT INTO schema_version (version) VALUES (" + (QueueDatabase.SCHEMA_VERSION + 1) + ")");

        assertThatThrownBy(() -> open(1000, 0))
                .isInstanceOf(OutboxException.class)
                .hasMessageContaining(db().toString())
                .hasMessageContaining("schema version " + (QueueDatabase.SCHEMA_VERSION + 1))
                .hasMessageContaining("knows up to " + QueueDatabase.SCHEMA_VERSION);
        assertThat(QueueFile.count(db(), "SELECT max(version) FROM schema_version"))
                .isEqualTo(QueueDatabase.SCHEMA_VERSION + 1);
    }

    @Test
    void concurrentProducers_keepEachProducersCaptureOrder() throws Exception {
        SqliteOutbox outbox = open(1000, 0);
        int producers = 4;
        int lines = 2000;
        List<ExecutionId> execs = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            execs.add(outbox.beginExecution("task" + p));
        }
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (ExecutionId exec : execs) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < lines; i++) {
                        outbox.captureLog(exec, "n" + i);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        outbox.awaitCommitted();

        List<String> expected = IntStream.range(0, lines).mapToObj(i -> "n" + i).toList();
        for (ExecutionId exec : execs) {
            List<String> stored = QueueFile.logTexts(db(), "task_id = '" + exec.taskId() + "'");
            assertThat(stored).isEqualTo(expected);
        }
    }
    private SqliteOutbox openLingering(int maxEntries, Duration linger) throws OutboxException {
        SqliteOutbox o = SqliteOutbox.open(new OutboxSettings(db(), Duration.ofSeconds(15), Duration.ofSeconds(30),
                maxEntries, 0), clock, new Committer.Tuning(linger, Committer.CHECKPOINT_BYTES));
        opened.add(o);
        return o;
    }

    @Test
    void plainLogLine_isCommittedSoonWithoutAnyoneWaitingForIt() throws Exception {
        SqliteOutbox outbox = open(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);

        outbox.captureLog(exec, "rendering");

        // §12.1 asks for 100 ms; the bound here leaves room for a loaded build machine.
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .untilAsserted(() -> assertThat(QueueFile.elements(db())).containsExactly("log:0"));
    }

    @Test
    void lingeringCommitter_commitsAtOnceForAReleaseAStatusChangeAWaiterAndClose() throws Exception {
        SqliteOutbox outbox = openLingering(2, Duration.ofHours(1));
        ExecutionId exec = outbox.beginExecution(TASK);

        outbox.captureLog(exec, "one");
        outbox.awaitCommitted(); // a waiter ends the lingering
        assertThat(QueueFile.elements(db())).containsExactly("log:0");

        outbox.captureLog(exec, "two");
        outbox.captureLog(exec, "three"); // more than 2 pending: released, so urgent
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(QueueFile.elements(db())).containsExactly("log:1", "log:1", "log:1"));

        outbox.captureLog(exec, "four");
        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "go")); // returns only once synced
        assertThat(QueueFile.elements(db())).containsExactly("log:1", "log:1", "log:1", "log:1", "activity:1");

        outbox.captureLog(exec, "five");
        outbox.close();
        assertThat(QueueFile.logTexts(db(), "1 = 1")).containsExactly("one", "two", "three", "four", "five");
    }
}
