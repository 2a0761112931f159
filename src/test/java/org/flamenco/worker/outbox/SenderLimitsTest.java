package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.model.TaskStatus;
import org.flamenco.worker.model.TaskUpdate;
import org.flamenco.worker.testing.RecordingCredentialsGuard;
import org.flamenco.worker.testing.RecordingManagerApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Size limits, back-pressure and dead-letter bounds, with a real file and a recording Manager. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SenderLimitsTest {
    private static final String TASK = "5c8f0a9b1d2e3f4a5b6c7d8e";
    private static final String OTHER = "5c8f0a9b1d2e3f4a5b6c7d8f";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final RecordingManagerApi manager = new RecordingManagerApi();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private SqliteOutbox outbox;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("fw-") && t.isAlive());
    }

    private Path db() {
        return dir.resolve("queue.db");
    }

    private void start(int maxEntries, long cap) throws OutboxException {
        SystemClock clock = new SystemClock();
        outbox = SqliteOutbox.open(new OutboxSettings(db(), Duration.ofHours(1), Duration.ofHours(1), maxEntries,
                cap), clock);
        toClose.add(outbox);
        Sender sender = new Sender(outbox, manager, new RecordingCredentialsGuard(true), clock,
                new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)), () -> 0.5, t -> { });
        toClose.add(sender);
        sender.start();
    }

    private static List<String> loggedLines(List<TaskUpdate> updates) {
        return updates.stream().filter(u -> u.log() != null)
                .flatMap(u -> Arrays.stream(u.log().split("\n")))
                .map(l -> l.substring(l.indexOf(": ") + 2))
                .toList();
    }

    @Test
    void overflowingLog_resumesWithMarkerAndTailOnceTheBacklogIsDelivered() throws Exception {
        manager.setDown(true);
        start(1000, 8000);
        ExecutionId exec = outbox.beginExecution(TASK);
        for (int i = 0; i < 500; i++) {
            outbox.captureLog(exec, String.format("line %04d", i));
        }
        outbox.releaseAll();

        manager.setDown(false);

        await().atMost(WAIT).until(() -> QueueFile.count(db(), "SELECT count(*) FROM task_update_outbox"
                + " WHERE payload LIKE '%: flamenco-worker: % log lines (%'") == 1);
        outbox.releaseAll();
        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        List<String> lines = loggedLines(manager.delivered());
        assertThat(lines).filteredOn(l -> l.startsWith("flamenco-worker: ")).hasSize(1);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("line 0499");
        outbox.captureLog(exec, "after the overflow");
        outbox.endExecution(exec);
        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(loggedLines(manager.delivered())).last().isEqualTo("after the overflow");
    }

    /**
     * What ChaosIT met under load: a child stopped in overflow. The worker's own stop line is captured while output
     * read before the stop is still coming in; that output pushes it out of the kept tail, and the marker counts it
     * with the output lines: the number is exactly the lines missing where the marker stands.
     */
    @Test
    void workerLinePushedOutOfTheTail_isCountedByTheMarker_whichMatchesTheLinesMissing() throws Exception {
        manager.setDown(true);
        start(1000, 8000);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureLogs(exec, IntStream.rangeClosed(1, 200).mapToObj(i -> "pid=10 > L7:" + i + " burst").toList());
        outbox.captureLog(exec, "exec: TERMinating subprocess pid=10");
        outbox.captureLogs(exec, IntStream.rangeClosed(201, 260).mapToObj(i -> "pid=10 > L7:" + i + " burst").toList());
        outbox.endExecution(exec);
        manager.setDown(false);
        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();

        List<String> lines = loggedLines(manager.delivered());
        assertThat(lines).doesNotContain("exec: TERMinating subprocess pid=10");
        int at = IntStream.range(0, lines.size()).filter(i -> lines.get(i).startsWith("flamenco-worker: ")).findFirst()
                .orElseThrow();
        long said = Long.parseLong(lines.get(at).split(" ")[1]);
        long before = Long.parseLong(lines.get(at - 1).replaceAll(".*L7:(\\d+).*", "$1"));
        long after = Long.parseLong(lines.get(at + 1).replaceAll(".*L7:(\\d+).*", "$1"));
        assertThat(after).isEqualTo(260 - (lines.size() - at - 2)); // the tail is the newest lines, unbroken
        assertThat(said).isEqualTo(after - before - 1 + 1); // the numbered lines missing, and the stop line
    }

    @Test
    void request_carriesAtMostOneMebibyteOfLog() throws Exception {
        manager.setDown(true);
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        String big = "x".repeat(60_000);
        for (int i = 0; i < 40; i++) {
            outbox.captureLog(exec, i + big);
        }
        outbox.endExecution(exec);

        manager.setDown(false);

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        List<TaskUpdate> delivered = manager.delivered();
        assertThat(delivered).hasSizeGreaterThan(2)
                .allSatisfy(u -> assertThat(u.log().length()).isLessThanOrEqualTo(1024 * 1024));
        assertThat(loggedLines(delivered)).hasSize(40);
    }

    @Test
    void logStoredInChunks_requestsStillCarryAtMostMaxEntriesLinesInOrder() throws Exception {
        manager.setDown(true);
        start(10, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        for (int i = 0; i < 95; i++) {
            outbox.captureLog(exec, "line " + i);
        }
        outbox.endExecution(exec);
        long rows = QueueFile.count(db(), "SELECT count(*) FROM task_update_outbox WHERE kind = 'log'");

        manager.setDown(false);

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(rows).as("log rows holding 95 lines").isLessThan(95);
        List<TaskUpdate> delivered = manager.delivered();
        assertThat(delivered).allSatisfy(u -> assertThat(u.log() == null ? 0 : u.log().split("\n").length)
                .isLessThanOrEqualTo(10));
        assertThat(loggedLines(delivered)).isEqualTo(IntStream.range(0, 95).mapToObj(i -> "line " + i).toList());
    }

    @Test
    void burstsOfOutput_fillEveryRequestUpToItsLineCap() throws Exception {
        manager.setDown(true);
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        List<String> lines = IntStream.range(0, 10_000).mapToObj(i -> "pid=7 > " + i).toList();
        for (int from = 0; from < lines.size(); from += 997) {
            outbox.captureLogs(exec, lines.subList(from, Math.min(lines.size(), from + 997)));
        }
        outbox.endExecution(exec);

        manager.setDown(false);

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        List<TaskUpdate> delivered = manager.delivered();
        assertThat(delivered).extracting(u -> u.log().split("\n").length).containsOnly(1000).hasSize(10);
        assertThat(loggedLines(delivered)).isEqualTo(lines);
    }

    @Test
    void schemaVersion1File_isMigratedAndItsLeftoversDeliveredInOrder() throws Exception {
        QueueFile.execute(db(),
                "CREATE TABLE schema_version (version INTEGER NOT NULL)",
                "INSERT INTO schema_version (version) VALUES (1)",
                "CREATE TABLE task_update_outbox (seq INTEGER PRIMARY KEY, task_id TEXT NOT NULL,"
                        + " execution_id TEXT NOT NULL, sendable INTEGER NOT NULL, kind TEXT NOT NULL,"
                        + " silently_aborting INTEGER NOT NULL, status_change INTEGER NOT NULL,"
                        + " final_status INTEGER NOT NULL, payload TEXT NOT NULL, captured_at_micros INTEGER NOT NULL,"
                        + " attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, push_id INTEGER)",
                "INSERT INTO task_update_outbox VALUES (7, '" + TASK + "', 'old-1', 1, 'log', 0, 0, 0,"
                        + " '2020-03-12T10:00:00.000001+00:00: from v1 a', 1, 0, NULL, 3)",
                "INSERT INTO task_update_outbox VALUES (8, '" + TASK + "', 'old-1', 1, 'log', 0, 0, 0,"
                        + " '2020-03-12T10:00:00.000002+00:00: from v1 b', 1, 0, NULL, 3)");

        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureLog(exec, "after the upgrade");
        outbox.captureLogs(exec, List.of("burst 1", "burst 2")); // rows with a stamp in the upgraded table
        outbox.endExecution(exec);

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(loggedLines(manager.delivered()))
                .containsExactly("from v1 a", "from v1 b", "after the upgrade", "burst 1", "burst 2");
        assertThat(QueueFile.count(db(), "SELECT max(version) FROM schema_version")).isEqualTo(3);
    }

    @Test
    void reopenedFileHoldingChunks_deliversThemBeforeTheNewRunsLines() throws Exception {
        manager.setDown(true);
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        for (int i = 0; i < 50; i++) {
            outbox.captureLog(exec, "first run " + i);
        }
        outbox.awaitCommitted();
        toClose.remove(outbox);
        toClose.get(toClose.size() - 1).close(); // the sender
        outbox.close();

        manager.setDown(false);
        start(1000, 0);
        ExecutionId again = outbox.beginExecution(TASK);
        outbox.captureLog(again, "second run");
        outbox.endExecution(again);

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        List<String> expected = new ArrayList<>(IntStream.range(0, 50).mapToObj(i -> "first run " + i).toList());
        expected.add("second run");
        assertThat(loggedLines(manager.delivered())).isEqualTo(expected);
    }

    @Test
    void moreThanTenUndeliveredPushes_blockFetchingUntilDelivered() throws Exception {
        manager.setDown(true);
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        for (int i = 0; i < 10; i++) {
            outbox.captureLog(exec, "push " + i);
            outbox.releaseAll();
        }
        assertThat(outbox.state().undeliveredPushes()).isEqualTo(10);
        assertThat(outbox.state().blocksFetching()).isFalse();

        outbox.captureLog(exec, "push 10");
        outbox.releaseAll();

        assertThat(outbox.state().undeliveredPushes()).isEqualTo(11);
        assertThat(outbox.state().blocksFetching()).isTrue();
        manager.setDown(false);
        await().atMost(WAIT).until(() -> !outbox.state().blocksFetching());
    }

    @Test
    void awaitTaskDelivered_waitsForThatTasksSendableUpdates() throws Exception {
        manager.setDown(true);
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureActivity(exec, new ActivitySnapshot(TaskStatus.COMPLETED, "done", 0, 100, 100, Map.of()));

        assertThat(outbox.awaitTaskDelivered(TASK, Duration.ofMillis(200))).isFalse();
        assertThat(outbox.awaitTaskDelivered("5c8f0a9b1d2e3f4a5b6c7d8f", Duration.ofMillis(200))).isTrue();
        manager.setDown(false);

        assertThat(outbox.awaitTaskDelivered(TASK, WAIT)).isTrue();
    }

    @Test
    void deadLetteredBurst_keepsEveryLineWithItsTimestamp() throws Exception {
        manager.setDown(true);
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        manager.answer(new int[] {400});
        outbox.captureLogs(exec, List.of("pid=7 > one", "pid=7 > two"));
        outbox.endExecution(exec);

        manager.setDown(false);

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(QueueFile.column(db(), "SELECT payload FROM task_update_dead_letter")).singleElement()
                .asString().matches("\\S+: pid=7 > one\n\\S+: pid=7 > two");
    }

    @Test
    void deadLetterTable_keepsTheNewestThousand() throws Exception {
        manager.setDown(true);
        start(1, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        int[] refusals = new int[1005];
        Arrays.fill(refusals, 400);
        manager.answer(refusals);
        for (int i = 0; i < 1005; i++) {
            outbox.captureLog(exec, "refused " + i);
        }
        outbox.endExecution(exec);

        manager.setDown(false);

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(QueueFile.count(db(), "SELECT count(*) FROM task_update_dead_letter")).isEqualTo(1000);
        assertThat(QueueFile.column(db(), "SELECT substr(payload, instr(payload, ': ') + 2)"
                + " FROM task_update_dead_letter ORDER BY id LIMIT 1")).containsExactly("refused 5");
    }

    @Test
    void concurrentProducersWithFlakyManager_everyLineArrivesOnceInOrderUnderItsOwnTask() throws Exception {
        start(100, 0);
        int[] flaky = new int[30];
        Arrays.fill(flaky, 503);
        manager.answer(flaky);
        List<ExecutionId> execs = List.of(outbox.beginExecution(TASK), outbox.beginExecution(OTHER));
        List<Thread> producers = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (ExecutionId exec : execs) {
            producers.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 3000; i++) {
                        outbox.captureLog(exec, exec.taskId() + " " + i);
                    }
                    outbox.endExecution(exec);
                } catch (OutboxException e) {
                    errors.add(e);
                }
            }, "test-producer-" + exec.taskId()));
        }

        producers.forEach(Thread::start);
        for (Thread t : producers) {
            t.join();
        }

        assertThat(errors).isEmpty();
        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        for (ExecutionId exec : execs) {
            List<String> lines = loggedLines(manager.delivered().stream()
                    .filter(u -> u.taskId().equals(exec.taskId())).toList());
            assertThat(lines).isEqualTo(IntStream.range(0, 3000)
                    .mapToObj(i -> exec.taskId() + " " + i).toList());
        }
    }
}
