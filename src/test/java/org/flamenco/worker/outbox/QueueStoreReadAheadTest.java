package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.model.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender's read-ahead at the store level, step by step (no threads): the group after the head, read while the
 * head is still queued, must be exactly what a read after the head's deletion gives.
 */
class QueueStoreReadAheadTest {
    private static final String TASK = "5c8f0a9b1d2e3f4a5b6c7d8e";
    private static final String OTHER = "5c8f0a9b1d2e3f4a5b6c7d8f";

    @TempDir
    Path dir;
    private SqliteOutbox outbox;
    private DeliveryQueue queue;

    @BeforeEach
    void open() throws Exception {
        outbox = SqliteOutbox.open(new OutboxSettings(dir.resolve("queue.db"), Duration.ofHours(1),
                Duration.ofHours(1), 2, 0), new SystemClock());
        queue = outbox.deliveryQueue();
    }

    @AfterEach
    void close() {
        outbox.close();
    }

    private static ActivitySnapshot snapshot(String activity) {
        return new ActivitySnapshot(TaskStatus.ACTIVE, activity, 1, 50, 25, Map.of());
    }

    private static List<String> lines(Batch b) {
        String log = b.update().log();
        return log == null ? List.of() : Arrays.stream(log.split("\n")).map(l -> l.substring(l.indexOf(": ") + 2))
                .toList();
    }

    private Batch head() throws OutboxException {
        return queue.head(Sender.MAX_LOG_BYTES_PER_REQUEST).orElseThrow();
    }

    private Optional<Batch> after(Batch b) throws OutboxException {
        return queue.after(b, Sender.MAX_LOG_BYTES_PER_REQUEST);
    }

    @Test
    void groupReadAhead_takesTheActivityOfTheGroupStillBeingSent() throws Exception {
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureActivity(exec, snapshot("a1"));
        outbox.captureLog(exec, "l1");
        outbox.captureActivity(exec, snapshot("a2"));
        outbox.captureLog(exec, "l2");
        outbox.captureLog(exec, "l3");
        outbox.captureLog(exec, "l4");
        outbox.endExecution(exec);
        outbox.awaitCommitted();

        Batch status = head(); // [a1]: a status change is the last element of its group
        assertThat(lines(status)).isEmpty();
        queue.delivered(status);
        Batch first = head(); // [l1 a2 l2]
        Batch ahead = after(first).orElseThrow(); // [l3 l4], read while the first is still queued

        assertThat(lines(first)).containsExactly("l1", "l2");
        assertThat(lines(ahead)).containsExactly("l3", "l4");
        assertThat(ahead.update().snapshot().activity()).isEqualTo("a2");
        queue.delivered(first);
        Batch fresh = head();
        assertThat(fresh.firstSeq()).isEqualTo(ahead.firstSeq());
        assertThat(fresh.lastSeq()).isEqualTo(ahead.lastSeq());
        assertThat(fresh.update()).isEqualTo(ahead.update());
    }

    @Test
    void groupReadAhead_ofAnotherExecution_usesThatExecutionsOwnSnapshot() throws Exception {
        ExecutionId one = outbox.beginExecution(TASK);
        outbox.captureActivity(one, snapshot("one"));
        outbox.captureLog(one, "x");
        outbox.endExecution(one);
        ExecutionId two = outbox.beginExecution(OTHER);
        outbox.captureLog(two, "y");
        outbox.endExecution(two);
        outbox.awaitCommitted();

        Batch first = queue.head(Sender.MAX_LOG_BYTES_PER_REQUEST).orElseThrow();
        while (!first.executionId().equals(one.executionId()) || first.update().log() == null) {
            queue.delivered(first);
            first = head();
        }
        Batch ahead = after(first).orElseThrow();

        assertThat(ahead.taskId()).isEqualTo(OTHER);
        assertThat(ahead.update().snapshot()).isEqualTo(ActivitySnapshot.initial());
    }

    @Test
    void groupReadAhead_isEmptyWhileWhatFollowsIsNotReleased() throws Exception {
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureActivity(exec, snapshot("a1"));
        outbox.awaitCommitted();
        outbox.captureLog(exec, "not released yet");
        outbox.awaitCommitted();

        Batch first = head();

        assertThat(first.update().snapshot().activity()).isEqualTo("a1");
        assertThat(after(first)).isEmpty();
    }
}
