package org.flamenco.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.flamenco.worker.clock.SystemClock;
import org.junit.jupiter.api.Test;

class RunningTreeTest {
    private final RunningTree tree = new RunningTree();

    private static ProcessRun run() throws Exception {
        ChildProcess child = new PosixProcessLauncher().start(new LaunchRequest(List.of("true"),
                Path.of(".")));
        child.waitFor(Duration.ofSeconds(10));
        return new ProcessRun(child, new SystemClock(), Duration.ofSeconds(1), Duration.ZERO, line -> { });
    }

    @Test
    void showsTheRunBeingSupervised_andNothingOnceItEnded() throws Exception {
        ProcessRun run = run();

        tree.started(run);
        boolean whileRunning = tree.usage().isPresent();
        tree.ended(run);

        assertThat(whileRunning).isTrue();
        assertThat(tree.usage()).isEmpty();
    }

    @Test
    void theEndOfAnEarlierRun_doesNotHideANewerOne() throws Exception {
        ProcessRun first = run();
        ProcessRun second = run();

        tree.started(first);
        tree.started(second);
        tree.ended(first);

        assertThat(tree.usage()).isPresent();
    }
}
