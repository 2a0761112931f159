package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

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

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SenderTest {
    private static final String TASK = "5c8f0a9b1d2e3f4a5b6c7d8e";
    private static final String OTHER = "5c8f0a9b1d2e3f4a5b6c7d8f";
    private static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(5));
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final SystemClock clock = new SystemClock();
    private final RecordingManagerApi manager = new RecordingManagerApi();
    private final RecordingCredentialsGuard guard = new RecordingCredentialsGuard(true);
    private final List<String> conflicts = new CopyOnWriteArrayList<>();
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

    /** Opens the outbox (throttles far away: tests release explicitly) and starts a sender. */
    private Sender start(int maxEntries, long cap) throws OutboxException {
        outbox = SqliteOutbox.open(new OutboxSettings(db(), Duration.ofHours(1), Duration.ofHours(1), maxEntries,
                cap), clock);
        toClose.add(outbox);
        Sender sender = new Sender(outbox, manager, guard, clock, FAST, () -> 0.5, conflicts::add);
        toClose.add(sender);
        sender.start();
        return sender;
    }

    /** Opens the outbox without a sender, so material can be queued first (every request then uses read-ahead). */
    private void open(int maxEntries) throws OutboxException {
        outbox = SqliteOutbox.open(new OutboxSettings(db(), Duration.ofHours(1), Duration.ofHours(1), maxEntries,
                0), clock);
        toClose.add(outbox);
    }

    private void startSender() {
        Sender sender = new Sender(outbox, manager, guard, clock, FAST, () -> 0.5, conflicts::add);
        toClose.add(sender);
        sender.start();
    }

    private static ActivitySnapshot snapshot(TaskStatus status, String activity) {
        return new ActivitySnapshot(status, activity, 1, 50, 25, Map.of());
    }

    private static List<String> loggedLines(List<TaskUpdate> updates) {
        return updates.stream().filter(u -> u.log() != null)
                .flatMap(u -> Arrays.stream(u.log().split("\n")))
                .map(l -> l.substring(l.indexOf(": ") + 2))
                .toList();
    }

    private long deadLetters() throws Exception {
        return QueueFile.count(db(), "SELECT count(*) FROM task_update_dead_letter");
    }

    @Test
    void acceptedUpdateThatTheQueueCannotRemove_isRemovedLaterAndNeverSentAgain() throws Exception {
        start(1000, 0);
        // The queue table disappears while the Manager accepts the update, so deleting it fails.
        manager.onceAfterAccepting(() -> {
            try {
                QueueFile.execute(db(), "ALTER TABLE task_update_outbox RENAME TO hidden_outbox");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "start"));
        await().atMost(WAIT).until(() -> manager.calls().size() == 1);
        // several removal attempts fail meanwhile
        await().atMost(WAIT).until(() -> QueueFile.count(db(), "SELECT count(*) FROM hidden_outbox") == 1);

        QueueFile.execute(db(), "ALTER TABLE hidden_outbox RENAME TO task_update_outbox");

        await().atMost(WAIT).until(() -> QueueFile.count(db(), "SELECT count(*) FROM task_update_outbox") == 0);
        assertThat(manager.calls()).hasSize(1);
    }

    @Test
    void anUnexpectedErrorWhileDelivering_doesNotEndTheSender_theUpdateIsSentAgainAndLaterOnesFollow()
            throws Exception {
        start(1000, 0);
        manager.onceAfterAccepting(() -> {
            throw new IllegalStateException("a defect nobody foresaw");
        });
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "start"));
        await().atMost(WAIT).until(() -> manager.calls().size() >= 2);

        outbox.captureActivity(exec, snapshot(TaskStatus.COMPLETED, "done"));

        await().atMost(WAIT).until(() -> QueueFile.count(db(), "SELECT count(*) FROM task_update_outbox") == 0);
        assertThat(manager.delivered()).extracting(u -> u.snapshot().activity()).containsExactly("start", "start",
                "done");
    }

    @Test
    void on2xx_deliversInCaptureOrderAndDeletes() throws Exception {
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "start"));
        outbox.captureLog(exec, "one");
        outbox.captureLog(exec, "two");
        outbox.endExecution(exec);

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();

        List<TaskUpdate> delivered = manager.delivered();
        assertThat(delivered).hasSize(2);
        assertThat(delivered.get(0).log()).isNull();
        assertThat(delivered.get(0).snapshot().taskStatus()).isEqualTo(TaskStatus.ACTIVE);
        assertThat(delivered.get(1).log()).matches("\\S+: one\n\\S+: two");
        assertThat(delivered.get(1).snapshot()).isEqualTo(snapshot(TaskStatus.ACTIVE, "start"));
        assertThat(QueueFile.count(db(), "SELECT count(*) FROM task_update_outbox")).isZero();
    }

    @Test
    void statusChange_isTheLastElementOfItsRequest() throws Exception {
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureLog(exec, "a");
        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "running"));
        outbox.captureLog(exec, "b");
        outbox.captureActivity(exec, snapshot(TaskStatus.COMPLETED, "done"));
        outbox.captureLog(exec, "c");
        outbox.endExecution(exec);

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();

        List<TaskUpdate> delivered = manager.delivered();
        assertThat(delivered).extracting(u -> u.snapshot().taskStatus())
                .containsExactly(TaskStatus.ACTIVE, TaskStatus.COMPLETED, TaskStatus.COMPLETED);
        assertThat(loggedLines(delivered.subList(0, 1))).containsExactly("a");
        assertThat(loggedLines(delivered.subList(1, 2))).containsExactly("b");
        assertThat(loggedLines(delivered.subList(2, 3))).containsExactly("c");
    }

    @Test
    void silentlyAbortingMaterial_goesOutLogOnlyAndIsNeverMixed() throws Exception {
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureLog(exec, "normal");
        outbox.markSilentlyAborting(exec);
        outbox.captureActivity(exec, snapshot(TaskStatus.FAILED, "not sent"));
        outbox.captureLog(exec, "stopped running this task, no longer allowed to run by Manager");
        outbox.endExecution(exec);

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();

        List<TaskUpdate> delivered = manager.delivered();
        assertThat(delivered).hasSize(2);
        assertThat(delivered.get(0).snapshot()).isNotNull();
        assertThat(loggedLines(delivered.subList(0, 1))).containsExactly("normal");
        assertThat(delivered.get(1).snapshot()).isNull();
        assertThat(loggedLines(delivered.subList(1, 2)))
                .containsExactly("stopped running this task, no longer allowed to run by Manager");
    }

    @Test
    void request_holdsAtMostPushLogMaxEntriesLines() throws Exception {
        start(10, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        manager.setDown(true);
        for (int i = 0; i < 25; i++) {
            outbox.captureLog(exec, "l" + i);
        }
        outbox.endExecution(exec);
        manager.setDown(false);

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();

        List<TaskUpdate> delivered = manager.delivered();
        assertThat(delivered).allSatisfy(u -> assertThat(u.log().split("\n").length).isLessThanOrEqualTo(10));
        assertThat(loggedLines(delivered)).isEqualTo(IntStream.range(0, 25).mapToObj(i -> "l" + i).toList());
    }

    @Test
    void on404_dropsEveryUpdateOfThatExecutionAfterOneAttemptAndOthersContinue() throws Exception {
        manager.setDown(true);
        start(1000, 0);
        ExecutionId gone = outbox.beginExecution(TASK);
        outbox.captureActivity(gone, snapshot(TaskStatus.ACTIVE, "x"));
        outbox.captureLog(gone, "x1");
        outbox.captureActivity(gone, snapshot(TaskStatus.FAILED, "x"));
        outbox.endExecution(gone);
        ExecutionId next = outbox.beginExecution(OTHER);
        outbox.captureActivity(next, snapshot(TaskStatus.ACTIVE, "y"));
        manager.answer(404);
        manager.setDown(false);

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();

        assertThat(manager.calls().stream().filter(c -> c.answer() != 0).map(c -> c.update().taskId()))
                .containsExactly(TASK, OTHER);
        assertThat(manager.delivered()).extracting(TaskUpdate::taskId).containsExactly(OTHER);
        assertThat(conflicts).isEmpty();
        assertThat(outbox.state().finalStatusPending()).isFalse();
    }

    @Test
    void on409_dropsTheExecutionAndAsksForAMayIRunCheck() throws Exception {
        manager.answer(409);
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);

        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "x"));

        await().atMost(WAIT).until(() -> conflicts.contains(TASK));
        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(manager.delivered()).isEmpty();
        assertThat(deadLetters()).isZero();
    }

    @Test
    void on400_movesTheUpdateToTheDeadLettersAndSendsTheNextAtOnce() throws Exception {
        manager.answer(400);
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);

        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "refused"));
        outbox.captureActivity(exec, snapshot(TaskStatus.COMPLETED, "accepted"));

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(manager.calls()).extracting(RecordingManagerApi.Call::answer).containsExactly(400, 204);
        assertThat(manager.delivered().get(0).snapshot().activity()).isEqualTo("accepted");
        assertThat(QueueFile.column(db(), "SELECT http_status || ' ' || task_id FROM task_update_dead_letter"))
                .containsExactly("400 " + TASK);
    }

    @Test
    void onOther4xx_deadLetters() throws Exception {
        manager.answer(422);
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);

        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "x"));

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(deadLetters()).isEqualTo(1);
    }

    @Test
    void on403_retriesFiveTimesThenDeadLetters() throws Exception {
        manager.answer(403, 403, 403, 403, 403);
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);

        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "x"));
        outbox.captureActivity(exec, snapshot(TaskStatus.COMPLETED, "y"));

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(manager.calls()).extracting(RecordingManagerApi.Call::answer)
                .containsExactly(403, 403, 403, 403, 403, 204);
        assertThat(deadLetters()).isEqualTo(1);
    }

    @Test
    void on403ThenSuccess_keepsTheUpdate() throws Exception {
        manager.answer(403, 403);
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);

        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "x"));

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(manager.delivered()).hasSize(1);
        assertThat(deadLetters()).isZero();
    }

    @Test
    void on401_asksTheCredentialsGuardAndRetries() throws Exception {
        manager.answer(401);
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);

        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "x"));

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(guard.calls()).isEqualTo(1);
        assertThat(manager.delivered()).hasSize(1);
    }

    @Test
    void on503_429_408AndNetwork_keepsTheUpdateAndNothingLaterGoesFirst() throws Exception {
        manager.answer(503, 429, 408, 0, 500);
        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);

        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "first"));
        outbox.captureActivity(exec, snapshot(TaskStatus.COMPLETED, "second"));

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(manager.calls()).extracting(c -> c.update().snapshot().activity())
                .containsExactly("first", "first", "first", "first", "first", "first", "second");
        assertThat(manager.delivered()).extracting(u -> u.snapshot().activity()).containsExactly("first", "second");
        assertThat(deadLetters()).isZero();
    }

    @Test
    void outageThenRecovery_deliversEverythingExactlyOnceInOrder() throws Exception {
        start(50, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "start"));
        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        manager.setDown(true);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            outbox.captureLog(exec, "line " + i);
            expected.add("line " + i);
            if (i % 100 == 99) {
                outbox.releaseAll();
            }
        }
        outbox.captureActivity(exec, snapshot(TaskStatus.COMPLETED, "done"));
        outbox.endExecution(exec);
        await().atMost(WAIT).until(() -> manager.calls().size() > 5);
        assertThat(outbox.state().blocksFetching()).isTrue();

        manager.setDown(false);

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        List<TaskUpdate> delivered = manager.delivered();
        assertThat(loggedLines(delivered)).isEqualTo(expected);
        assertThat(delivered.get(delivered.size() - 1).snapshot().taskStatus()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(outbox.state().blocksFetching()).isFalse();
    }

    @Test
    void logBeyondTheCap_arrivesAsHeadMarkerAndTail() throws Exception {
        manager.setDown(true);
        start(1000, 8000);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "start"));
        for (int i = 0; i < 500; i++) {
            outbox.captureLog(exec, String.format("line %04d", i));
        }
        outbox.captureActivity(exec, snapshot(TaskStatus.COMPLETED, "done"));
        outbox.endExecution(exec);

        manager.setDown(false);

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        List<String> lines = loggedLines(manager.delivered());
        int marker = IntStream.range(0, lines.size()).filter(i -> lines.get(i).startsWith("flamenco-worker:"))
                .findFirst().orElseThrow();
        List<String> head = lines.subList(0, marker);
        List<String> tail = lines.subList(marker + 1, lines.size());
        assertThat(head).isNotEmpty().isEqualTo(IntStream.range(0, head.size())
                .mapToObj(i -> String.format("line %04d", i)).toList());
        assertThat(tail).isNotEmpty().isEqualTo(IntStream.range(500 - tail.size(), 500)
                .mapToObj(i -> String.format("line %04d", i)).toList());
        int dropped = 500 - head.size() - tail.size();
        assertThat(lines.get(marker)).matches("flamenco-worker: " + dropped + " log lines \\(\\d+ bytes\\) of this"
                + " task were dropped here because the Manager could not receive them in time"
                + " \\(task_log_max_bytes = 8000\\)");
        assertThat(manager.delivered()).extracting(u -> u.snapshot().taskStatus()).contains(TaskStatus.COMPLETED);
    }

    @Test
    void leftoversOfAnEarlierRun_areDeliveredFirstAfterReopen() throws Exception {
        SqliteOutbox first = SqliteOutbox.open(new OutboxSettings(db(), Duration.ofHours(1), Duration.ofHours(1),
                1000, 0), clock);
        ExecutionId old = first.beginExecution(TASK);
        first.captureActivity(old, snapshot(TaskStatus.ACTIVE, "old"));
        first.captureLog(old, "old line");
        first.captureActivity(old, snapshot(TaskStatus.COMPLETED, "old done"));
        first.close();

        start(1000, 0);
        ExecutionId exec = outbox.beginExecution(OTHER);
        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "new"));

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(manager.delivered()).extracting(u -> u.taskId() + " " + u.snapshot().activity())
                .containsExactly(TASK + " old", TASK + " old done", OTHER + " new");
        assertThat(loggedLines(manager.delivered())).containsExactly("old line");
    }

    @Test
    void flush_releasesAndDeliversEverythingBeforeTheDeadline() throws Exception {
        Sender sender = start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureLog(exec, "throttled for an hour");

        boolean empty = sender.flush(WAIT);

        assertThat(empty).isTrue();
        assertThat(loggedLines(manager.delivered())).containsExactly("throttled for an hour");
    }

    @Test
    void flush_leavesWhatCannotBeDeliveredInTheFile() throws Exception {
        manager.setDown(true);
        Sender sender = start(1000, 0);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureLog(exec, "stays");

        boolean empty = sender.flush(Duration.ofMillis(300));

        assertThat(empty).isFalse();
        assertThat(QueueFile.count(db(), "SELECT count(*) FROM task_update_outbox")).isEqualTo(1);
    }

    @Test
    void undecodableElement_isDeadLetteredAndTheQueueMovesOn() throws Exception {
        SqliteOutbox first = SqliteOutbox.open(new OutboxSettings(db(), Duration.ofHours(1), Duration.ofHours(1),
                1000, 0), clock);
        ExecutionId exec = first.beginExecution(TASK);
        first.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "broken"));
        first.captureActivity(exec, snapshot(TaskStatus.COMPLETED, "fine"));
        first.close();
        QueueFile.execute(db(), "UPDATE task_update_outbox SET payload = '{not json' WHERE seq = "
                + "(SELECT min(seq) FROM task_update_outbox)");

        start(1000, 0);

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(manager.calls()).extracting(c -> c.update().snapshot().activity()).containsExactly("fine");
        assertThat(deadLetters()).isEqualTo(1);
    }

    @Test
    void readAhead_aLogOnlyRequestCarriesTheActivityOfTheRequestBeforeIt() throws Exception {
        open(2);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "a1"));
        outbox.captureLog(exec, "l1");
        outbox.captureLog(exec, "l2");
        outbox.captureLog(exec, "l3");
        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "a2"));
        outbox.captureLog(exec, "l4");
        outbox.captureLog(exec, "l5");
        outbox.captureLog(exec, "l6");
        outbox.captureLog(exec, "l7");
        outbox.captureLog(exec, "l8");
        outbox.endExecution(exec);
        outbox.awaitCommitted();

        startSender();

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        List<TaskUpdate> delivered = manager.delivered();
        // [a1] (a status change goes alone) [l1 l2] [l3 a2 l4] [l5 l6] [l7 l8]: each but the first was read while
        // the one before it was with the Manager; the last two carry a2 from the request before them.
        assertThat(delivered).extracting(u -> loggedLines(List.of(u))).containsExactly(List.of(),
                List.of("l1", "l2"), List.of("l3", "l4"), List.of("l5", "l6"), List.of("l7", "l8"));
        assertThat(delivered).extracting(u -> u.snapshot().activity()).containsExactly("a1", "a1", "a2", "a2", "a2");
        assertThat(manager.calls()).hasSize(5);
    }

    @Test
    void readAhead_afterAFailedRequestTheSameRequestIsSentAgainBeforeTheOneReadAhead() throws Exception {
        open(2);
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "run"));
        for (int i = 1; i <= 6; i++) {
            outbox.captureLog(exec, "l" + i);
        }
        outbox.captureActivity(exec, snapshot(TaskStatus.COMPLETED, "done"));
        outbox.endExecution(exec);
        outbox.awaitCommitted();
        manager.answer(204, 204, 503, 0, 204, 404);

        startSender();

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        // The 404 drops the rest of that execution, so the completed update never goes out.
        assertThat(manager.calls()).extracting(c -> loggedLines(List.of(c.update()))).containsExactly(List.of(),
                List.of("l1", "l2"), List.of("l3", "l4"), List.of("l3", "l4"), List.of("l3", "l4"),
                List.of("l5", "l6"));
        assertThat(manager.delivered()).extracting(u -> loggedLines(List.of(u)))
                .containsExactly(List.of(), List.of("l1", "l2"), List.of("l3", "l4"));
    }

    @Test
    void readAhead_manyRequestsFromAQueueFilledDuringAnOutage_arriveOnceAndInOrder() throws Exception {
        open(7);
        List<String> expected = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            ExecutionId exec = outbox.beginExecution(e == 1 ? OTHER : TASK);
            outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "exec " + e));
            for (int i = 0; i < 300; i++) {
                outbox.captureLog(exec, "e" + e + " line " + i);
                expected.add("e" + e + " line " + i);
                if (i % 50 == 0) {
                    outbox.captureActivity(exec, snapshot(TaskStatus.ACTIVE, "exec " + e + " at " + i));
                }
            }
            outbox.captureActivity(exec, snapshot(TaskStatus.COMPLETED, "exec " + e + " done"));
            outbox.endExecution(exec);
        }
        outbox.awaitCommitted();

        startSender();

        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        List<TaskUpdate> delivered = manager.delivered();
        assertThat(loggedLines(delivered)).isEqualTo(expected);
        assertThat(manager.calls()).hasSameSizeAs(delivered);
        assertThat(delivered).filteredOn(u -> u.snapshot().taskStatus() == TaskStatus.COMPLETED)
                .extracting(TaskUpdate::taskId).containsExactly(TASK, OTHER, TASK);
        for (TaskUpdate u : delivered) {
            // Each request's activity is the newest captured at or before its last line.
            String last = loggedLines(List.of(u)).isEmpty() ? null : loggedLines(List.of(u)).get(
                    loggedLines(List.of(u)).size() - 1);
            if (last != null && u.snapshot().taskStatus() == TaskStatus.ACTIVE) {
                int e = last.charAt(1) - '0';
                int i = Integer.parseInt(last.substring(last.lastIndexOf(' ') + 1));
                assertThat(u.snapshot().activity()).as(last).isEqualTo("exec " + e + " at " + (i / 50 * 50));
            }
        }
    }
}
