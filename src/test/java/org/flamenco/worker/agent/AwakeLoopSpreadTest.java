package org.flamenco.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Flamenco 3's awake loop spreads its fixed waits by ±10 % (protocol-v3.md §8), so a farm's workers started together
 * do not poll in step; v2 keeps its exact intervals. Driven on a fake clock through the real loop.
 */
class AwakeLoopSpreadTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"0.0, 18000", "0.5, 20000", "0.75, 21000"})
    void flamenco3_noTaskWaitIsSpreadByTenPercent(double random, long expectedMillis) throws Exception {
        assertThat(secondFetchAfter(WorkerTiming.flamenco3(), random)).isEqualTo(Duration.ofMillis(expectedMillis));
    }

    @Test
    void flamenco2_keepsItsExactNoTaskWait() throws Exception {
        assertThat(secondFetchAfter(WorkerTiming.standard(Duration.ofSeconds(5)), 0.0))
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void spreadStaysWithinTenPercentAndBackoffIsNotSpread() {
        WorkerTiming v3 = WorkerTiming.flamenco3();

        assertThat(v3.spread(Duration.ofSeconds(2), 0.999_999)).isBetween(Duration.ofMillis(2199),
                Duration.ofMillis(2200));
        assertThat(v3.spread(Duration.ofSeconds(3), 0.0)).isEqualTo(Duration.ofMillis(2700));
        assertThat(WorkerTiming.standard(Duration.ofSeconds(5)).spread(Duration.ofSeconds(3), 0.0))
                .isEqualTo(Duration.ofSeconds(3));
    }

    /** Fake time from the first fetch (at start) to the second, after a "no task" answer. */
    private Duration secondFetchAfter(WorkerTiming timing, double random) throws Exception {
        try (AgentHarness agent = new AgentHarness(timing, random)) {
            agent.start(dir);
            agent.runUntil(() -> agent.manager.count("task") >= 1, Duration.ofSeconds(1));
            long first = agent.clock.nanoTime();
            agent.runUntil(() -> agent.manager.count("task") >= 2, Duration.ofMinutes(1));
            return Duration.ofNanos(agent.clock.nanoTime() - first);
        }
    }
}
