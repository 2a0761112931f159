package org.flamenco.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What the kernel sees of a subprocess: its OOM score and niceness, and what its tree used. Linux only. */
@Timeout(60)
@ExtendWith(NoLeakedProcesses.class)
class SubprocessResourcesTest {
    private static final long MIB = 1024 * 1024;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    @TempDir
    Path dir;

    private static String proc(long pid, String file) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), file), StandardCharsets.ISO_8859_1).strip();
    }

    /** Starts {@code sleep 30} through {@code launcher} and waits until the program itself runs. */
    private ChildProcess sleeper(PosixProcessLauncher launcher) throws Exception {
        ChildProcess child = launcher.start(new LaunchRequest(List.of("sleep", "30"), dir));
        await().atMost(Duration.ofSeconds(5)).until(() -> proc(child.pid(), "cmdline").startsWith("sleep"));
        return child;
    }

    private RunOutcome runToEnd(ChildProcess child) throws InterruptedException {
        return new ProcessRun(child, new SystemClock(), Duration.ofSeconds(1), Duration.ZERO, lines::add)
                .await(lines::add, () -> false);
    }

    private void stop(ChildProcess child) throws InterruptedException {
        new ProcessTreeStopper(new SystemClock(), Duration.ofSeconds(1)).stop(child, lines::add, true);
    }

    @Test
    void childRunsWithTheConfiguredOomScoreAndNiceness() throws Exception {
        assumeThat(Path.of("/proc/self/oom_score_adj")).exists();
        PosixProcessLauncher launcher = new PosixProcessLauncher(new SubprocessPriority(OptionalInt.of(733), 7));

        ChildProcess child = sleeper(launcher);

        try {
            assertThat(proc(child.pid(), "oom_score_adj")).isEqualTo("733");
            assertThat(ProcStat.of(child.pid()).orElseThrow().nice()).isEqualTo(7);
            assertThat(ProcStat.of(child.pid()).orElseThrow().pgrp()).isEqualTo(child.pid());
        } finally {
            stop(child);
        }
    }

    @Test
    void withoutSettingsTheChildKeepsTheWorkersScoreAndNiceness() throws Exception {
        assumeThat(Path.of("/proc/self/oom_score_adj")).exists();
        String own = Files.readString(Path.of("/proc/self/oom_score_adj")).strip();

        ChildProcess child = sleeper(new PosixProcessLauncher(SubprocessPriority.INHERITED));

        try {
            assertThat(proc(child.pid(), "oom_score_adj")).isEqualTo(own);
            assertThat(ProcStat.of(child.pid()).orElseThrow().nice()).isEqualTo(ProcStat.ownNice());
        } finally {
            stop(child);
        }
    }

    @Test
    void nicenessIsRaisedByTheDifferenceToTheInheritedOneAndNeverLowered() {
        PosixProcessLauncher launcher = new PosixProcessLauncher(new SubprocessPriority(OptionalInt.empty(), 5));

        assertThat(launcher.priorityPrefix(0)).endsWith("-n", "5");
        assertThat(launcher.priorityPrefix(3)).endsWith("-n", "2");
        assertThat(launcher.priorityPrefix(5)).isEmpty();
        assertThat(launcher.priorityPrefix(9)).isEmpty();
        assertThat(new PosixProcessLauncher(SubprocessPriority.INHERITED).priorityPrefix(0)).isEmpty();
    }

    @Test
    void peakMemoryOfAChildHoldingAKnownAmountIsWithinTenPercent() throws Exception {
        assumeThat(PosixProcessLauncher.findExecutable("python3", dir)).isPresent();
        ChildProcess child = new PosixProcessLauncher().start(new LaunchRequest(List.of("python3", "-c",
                "import time\nb = bytearray(256 * 1024 * 1024)\nprint('holding', flush=True)\ntime.sleep(2.5)"),
                dir));

        RunOutcome outcome = runToEnd(child);

        assertThat(lines).contains("holding");
        assertThat(outcome.usage().peakRssBytes()).isBetween(256 * MIB * 9 / 10, 256 * MIB * 11 / 10);
    }

    @Test
    void aYoungTreeIsSampledSoonAndThenOnceASecond() {
        TreeSampler sampler = new TreeSampler(ProcessHandle.current().pid(), 0);
        long ms = 1_000_000;

        List<Long> sampledAt = new java.util.ArrayList<>();
        for (long t = 0; t <= 4000 * ms; t += 10 * ms) {
            sampler.sampleIfDue(t);
            long wall = sampler.latest().wall().toNanos();
            if (sampledAt.isEmpty() || sampledAt.get(sampledAt.size() - 1) != wall) {
                sampledAt.add(wall);
            }
        }

        assertThat(sampledAt).containsExactly(0L, 50 * ms, 100 * ms, 200 * ms, 400 * ms, 800 * ms, 1600 * ms,
                2600 * ms, 3600 * ms);
    }

    /** A Python script that uses {@code seconds} of CPU time, then writes its pid into the file {@code burnt}. */
    private void burnScript(double seconds) throws IOException {
        assumeThat(PosixProcessLauncher.findExecutable("python3", dir)).isPresent();
        Files.writeString(dir.resolve("burn.py"), "import os, time\nwhile time.process_time() < " + seconds
                + ": pass\nopen('b.tmp', 'w').write(str(os.getpid()))\nos.rename('b.tmp', 'burnt')\n");
    }

    @Test
    void cpuTimeOfABusyGrandchildThatAlreadyExitedIsCounted() throws Exception {
        burnScript(1.0);
        ChildProcess child = new PosixProcessLauncher().start(new LaunchRequest(List.of("sh", "-c",
                "python3 burn.py & wait; echo done"), dir));

        RunOutcome outcome = runToEnd(child);

        assertThat(lines).contains("done");
        assertThat(outcome.usage().cpu()).isBetween(Duration.ofMillis(950), Duration.ofMillis(1600));
        assertThat(outcome.usage().wall()).isPositive();
    }

    @Test
    void cpuTimeOfAnOrphanIsCountedUpToItsLastSample() throws Exception {
        burnScript(2.0);
        // The subshell exits at once: its busy child is re-parented to init, which reaps it, not the tree. At most
        // one sampling interval of its CPU time (1 s) is lost. The leader ends only once init has reaped it.
        ChildProcess child = new PosixProcessLauncher().start(new LaunchRequest(List.of("sh", "-c",
                "(python3 burn.py &); while [ ! -e burnt ]; do sleep 0.1; done;"
                        + " while kill -0 $(cat burnt) 2>/dev/null; do sleep 0.1; done; echo done"), dir));

        RunOutcome outcome = runToEnd(child);

        assertThat(lines).contains("done");
        assertThat(outcome.usage().cpu()).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void samplingStopsWithTheProcess() throws Exception {
        ChildProcess child = new PosixProcessLauncher().start(new LaunchRequest(List.of("true"), dir));
        ProcessRun run = new ProcessRun(child, new SystemClock(), Duration.ofSeconds(1), Duration.ZERO, lines::add);

        RunOutcome outcome = run.await(lines::add, () -> false);

        assertThat(run.usage()).isEqualTo(outcome.usage());
        assertThat(outcome.usage().measured()).isTrue();
        assertThat(outcome.usage().describe()).matches("finished in \\d+\\.\\ds, CPU \\d+\\.\\ds, peak memory .*");
    }
}
