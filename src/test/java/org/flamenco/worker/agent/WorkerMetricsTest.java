package org.flamenco.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.flamenco.worker.manager.FetchResult;
import org.flamenco.worker.metrics.InMemoryMetrics;
import org.flamenco.worker.metrics.MetricsSnapshot;
import org.flamenco.worker.metrics.WorkerState;
import org.flamenco.worker.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the fetch loop tells {@code WorkerMetrics}: its state, quarantine and the task it runs. */
@Timeout(20)
class WorkerMetricsTest {
    @TempDir
    Path dir;

    private final AgentHarness agent = new AgentHarness();
    private final ScriptedManagerApi manager = agent.manager;
    private final InMemoryMetrics metrics = new InMemoryMetrics(agent.clock);
    private Worker worker;

    private void start(int quarantineAfter) {
        worker = agent.start(dir, false, quarantineAfter, new PreTaskCheck(List.of(), List.of(),
                Duration.ofSeconds(1)), metrics);
    }

    @AfterEach
    void stopWorker() throws InterruptedException {
        agent.close();
    }

    private static Task task() {
        return HoldCommand.task("5c8f0a9b1d2e3f4a5b6c7d8e");
    }

    @Test
    void idleAwakeLoopIsAwakeAndAlive() {
        start(0);

        agent.runUntil(() -> manager.count("task") >= 3, Duration.ofMinutes(1));
        agent.settle();
        MetricsSnapshot s = metrics.snapshot();

        assertThat(s.state()).isEqualTo(WorkerState.AWAKE);
        assertThat(s.loopStalledFor()).isLessThan(Duration.ofSeconds(2));
        assertThat(s.runningTask()).isEmpty();
    }

    @Test
    void quarantineShowsAsErrorAndQuarantined() {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.Assigned(task())));
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.Assigned(task())));
        agent.hold.finish(HoldCommand.Ending.FAILED);
        agent.hold.finish(HoldCommand.Ending.FAILED);
        start(2);

        agent.runUntil(() -> metrics.snapshot().quarantined(), Duration.ofSeconds(10));
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
