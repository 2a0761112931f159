package org.flamenco.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.flamenco.worker.testing.FakeClock;
import org.junit.jupiter.api.Test;

class InMemoryMetricsTest {
    private final FakeClock clock = new FakeClock();
    private final InMemoryMetrics metrics = new InMemoryMetrics(clock);

    @Test
    void aLoopWaitingForItsNextRequest_isAliveUntilThatDeadline_withoutBeating() {
        metrics.workerState(WorkerState.AWAKE);
        metrics.loopWaitsUntil(clock.nanoTime() + Duration.ofSeconds(30).toNanos());

        clock.advance(Duration.ofSeconds(29));

        assertThat(metrics.snapshot().loopStalledFor()).isZero();
    }

    @Test
    void aLoopThatDoesNotWakeAtItsDeadline_countsAsStalledFromTheDeadline() {
        metrics.workerState(WorkerState.AWAKE);
        metrics.loopWaitsUntil(clock.nanoTime() + Duration.ofSeconds(30).toNanos());

        clock.advance(Duration.ofSeconds(35));

        assertThat(metrics.snapshot().loopStalledFor()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aLoopBusyWithoutWaiting_countsAsStalledFromItsLastBeat() {
        metrics.workerState(WorkerState.AWAKE);
        metrics.loopHeartbeat();

        clock.advance(Duration.ofSeconds(12));

        assertThat(metrics.snapshot().loopStalledFor()).isEqualTo(Duration.ofSeconds(12));
    }
}
