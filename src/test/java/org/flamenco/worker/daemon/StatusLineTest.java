package org.flamenco.worker.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.flamenco.worker.metrics.MetricsSnapshot;
import org.flamenco.worker.metrics.WorkerState;
import org.junit.jupiter.api.Test;

class StatusLineTest {
    private static MetricsSnapshot snapshot(WorkerState state, String task, int progress, long queued,
                                            Duration contact) {
        return new MetricsSnapshot(state, task, progress, Duration.ofSeconds(30), queued, queued * 100,
                Duration.ZERO, Optional.ofNullable(contact), Duration.ZERO, false, Duration.ofHours(1));
    }

    @Test
    void idleAwake() {
        assertThat(StatusLine.of(snapshot(WorkerState.AWAKE, "", 0, 0, Duration.ofSeconds(2))))
                .isEqualTo("awake, idle");
    }

    @Test
    void runningATaskWithItsProgress() {
        assertThat(StatusLine.of(snapshot(WorkerState.AWAKE, "t-42", 45, 3, Duration.ofSeconds(1))))
                .isEqualTo("running t-42 45%, 3 updates queued");
    }

    @Test
    void managerUnreachableWithTheQueueDepth() {
        assertThat(StatusLine.of(snapshot(WorkerState.AWAKE, "t-42", 45, 120, Duration.ofMinutes(3))))
                .isEqualTo("Manager unreachable for 3m00s, 120 updates queued (running t-42 45%)");
    }

    @Test
    void startingWithoutAnyAnswerYet() {
        MetricsSnapshot s = new MetricsSnapshot(WorkerState.STARTING, "", 0, Duration.ZERO, 0, 0, Duration.ZERO,
                Optional.empty(), Duration.ZERO, false, Duration.ofSeconds(5));

        assertThat(StatusLine.of(s)).isEqualTo("starting, signing on to the Manager");
    }
}
