package org.flamenco.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

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

    @Test
    void tellsItsListenerOfWhatTheStatusLineShows_butNotOfRepeatsOrRoutineRequests() {
        AtomicInteger changes = new AtomicInteger();
        metrics.onChange(changes::incrementAndGet);

        metrics.workerState(WorkerState.AWAKE);
        metrics.workerState(WorkerState.AWAKE);
        metrics.managerRequest("task", 204, 1000);
        metrics.managerRequest("task", 204, 1000);
        metrics.loopHeartbeat();
        int afterIdlePolls = changes.get();
        metrics.taskStarted("t1");
        metrics.taskProgress(10);
        metrics.taskProgress(10);
        metrics.taskFinished("completed");
        int afterTask = changes.get();
        metrics.managerRequest("task", 503, 1000);
        metrics.managerRequest("task", 503, 1000);
        metrics.managerRequest("task", 204, 1000);

        assertThat(afterIdlePolls).isEqualTo(2); // AWAKE, first contact
        assertThat(afterTask - afterIdlePolls).isEqualTo(3);
        assertThat(changes.get() - afterTask).isEqualTo(2); // stopped answering, answers again
        assertThat(metrics.managerAnswering()).isTrue();
    }
}
