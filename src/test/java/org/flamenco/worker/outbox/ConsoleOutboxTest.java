package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.model.TaskStatus;
import org.flamenco.worker.testing.FakeClock;
import org.junit.jupiter.api.Test;

class ConsoleOutboxTest {
    private final StringWriter printed = new StringWriter();
    private final FakeClock clock = new FakeClock(Instant.parse("2020-03-12T10:00:00.123456Z"));
    private final ConsoleOutbox outbox = new ConsoleOutbox(new PrintWriter(printed, true), clock);

    private String[] lines() {
        return printed.toString().lines().toArray(String[]::new);
    }

    @Test
    void logLinesCarryTheCaptureTimestampTheManagerWouldReceive() {
        ExecutionId execution = outbox.beginExecution("t1");

        outbox.captureLog(execution, "echo: Starting");
        clock.advance(Duration.ofSeconds(1));
        outbox.captureLog(execution, "hello");

        assertThat(lines()).containsExactly("2020-03-12T10:00:00.123456+00:00: echo: Starting",
                "2020-03-12T10:00:01.123456+00:00: hello");
    }

    @Test
    void activitySnapshotsPrintOnlyWhatChanged() {
        ExecutionId execution = outbox.beginExecution("t1");

        outbox.captureActivity(execution, new ActivitySnapshot(TaskStatus.ACTIVE, "", 0, 0, 0, Map.of()));
        outbox.captureActivity(execution, new ActivitySnapshot(TaskStatus.ACTIVE, "starting echo", 0, 0, 0,
                Map.of()));
        outbox.captureActivity(execution, new ActivitySnapshot(TaskStatus.ACTIVE, "starting echo", 0, 0, 0,
                Map.of("total", 1.0)));
        outbox.captureActivity(execution, new ActivitySnapshot(TaskStatus.ACTIVE, "starting echo", 1, 50, 100,
                Map.of()));
        outbox.captureActivity(execution, new ActivitySnapshot(TaskStatus.FAILED, "boom", 1, 50, 100, Map.of()));

        assertThat(lines()).containsExactly(">> status: active", ">> activity: starting echo",
                ">> progress: task 50%, command 1 at 100%", ">> status: failed", ">> activity: boom");
    }

    @Test
    void queueIsAlwaysEmptyAndEverythingCountsAsDelivered() throws Exception {
        ExecutionId execution = outbox.beginExecution("t1");
        outbox.captureLog(execution, "x");

        QueueState state = outbox.state();

        assertThat(state.elements()).isZero();
        assertThat(state.blocksFetching()).isFalse();
        assertThat(outbox.awaitTaskDelivered("t1", Duration.ZERO)).isTrue();
        assertThat(outbox.awaitAllDelivered(Duration.ZERO)).isTrue();
    }

    @Test
    void eachExecutionGetsItsOwnId() {
        ExecutionId first = outbox.beginExecution("t1");
        ExecutionId second = outbox.beginExecution("t1");

        assertThat(first.taskId()).isEqualTo("t1");
        assertThat(first).isNotEqualTo(second);
    }
}
