package org.flamenco.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.manager.FetchResult;
import org.flamenco.worker.metrics.InMemoryMetrics;
import org.flamenco.worker.metrics.MetricsSnapshot;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.metrics.WorkerState;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the fetch loop tells {@code WorkerMetrics}: its state, quarantine and the task it runs. */
@Timeout(20)
class WorkerMetricsTest {
    private static final WorkerTiming FAST = new WorkerTiming(Duration.ofMillis(50), Duration.ofMillis(50),
            Duration.ofMillis(50), Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(30),
            Duration.ofMillis(50), Duration.ofMillis(30), Duration.ofMinutes(10), Duration.ofMillis(100),
            Duration.ofMillis(100), new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)));

    private final ScriptedManagerApi manager = new ScriptedManagerApi();
    private final HoldCommand hold = new HoldCommand();
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path workDir;
    private final InMemoryMetrics metrics = new InMemoryMetrics(new SystemClock());
    private final WorkerIdentity identity = new WorkerIdentity(List.of("sleep"), "node-01", "linux", Secret.empty(),
            new Credentials("0123456789abcdef01234567", Secret.of("s3cr3t")));
    private Worker worker;

    private void start(int quarantineAfter) {
        Enrollment enrollment = new Enrollment(manager, identity, c -> { }, new SystemClock(), () -> 0.5,
                Duration.ofMinutes(10), () -> { }, WorkerMetrics.NONE);
        worker = new Worker(manager, new ControllableOutbox(), hold.runner(new ControllableOutbox(), workDir), new PreTaskCheck(List.of(), List.of(),
                Duration.ofSeconds(1)), identity, enrollment, new SystemClock(), () -> 0.5, FAST,
                new WorkerMode(false, false, quarantineAfter), cause -> { }, metrics);
        worker.start();
    }

    @AfterEach
    void stopWorker() throws InterruptedException {
        if (worker != null) {
            worker.beginShutdown(true);
            assertThat(worker.awaitStopped(Duration.ofSeconds(5))).isTrue();
            worker.close();
        }
    }

    private static Task task() {
        return HoldCommand.task("5c8f0a9b1d2e3f4a5b6c7d8e");
    }

    @Test
    void idleAwakeLoopIsAwakeAndAlive() {
        start(0);

        await().atMost(Duration.ofSeconds(5)).until(() -> manager.count("task") >= 3);
        MetricsSnapshot s = metrics.snapshot();

        assertThat(s.state()).isEqualTo(WorkerState.AWAKE);
        assertThat(s.loopStalledFor()).isLessThan(Duration.ofSeconds(2));
        assertThat(s.runningTask()).isEmpty();
    }

    @Test
    void quarantineShowsAsErrorAndQuarantined() {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.Assigned(task())));
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.Assigned(task())));
        hold.finish(HoldCommand.Ending.FAILED);
        hold.finish(HoldCommand.Ending.FAILED);
        start(2);

        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.snapshot().quarantined());
        MetricsSnapshot s = metrics.snapshot();

        assertThat(s.state()).isEqualTo(WorkerState.ERROR);
        assertThat(s.runningTask()).isEmpty();
    }

    @Test
    void shutdownShowsAsShuttingDown() {
        start(0);

        worker.beginShutdown(false);

        assertThat(metrics.snapshot().state()).isEqualTo(WorkerState.SHUTTING_DOWN);
    }
}
