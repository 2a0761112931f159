package org.flamenco.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.flamenco.worker.testing.ProcessAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs against every launcher that works on Linux: posix, spawn (the one macOS uses) and portable (the fallback of
 * any OS).
 */
@Timeout(60)
@ExtendWith(NoLeakedProcesses.class)
@ParameterizedClass
@EnumSource(value = LauncherKind.class, names = "WINDOWS", mode = EnumSource.Mode.EXCLUDE)
class ProcessRunTest {
    private final LauncherKind kind;
    private final ProcessLauncher launcher;
    private final List<String> taskLog = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    @TempDir
    Path dir;

    ProcessRunTest(LauncherKind kind) {
        this.kind = kind;
        this.launcher = kind.create(SubprocessPriority.INHERITED);
    }

    private ChildProcess start(String script) throws Exception {
        return launcher.start(new LaunchRequest(List.of("sh", "-c", script), dir));
    }

    private ProcessRun run(ChildProcess child, Duration grace, Duration inactivity) {
        return new ProcessRun(child, new SystemClock(), grace, inactivity, taskLog::add);
    }

    @Test
    void childLeadsItsOwnProcessGroup() throws Exception {
        assumeTrue(kind == LauncherKind.SPAWN, "spawn makes a group, not a session");
        ChildProcess child = start("ps -o pid=,pgid=,sid= -p $$");

        run(child, Duration.ofSeconds(1), Duration.ZERO).await(lines::add, () -> false);

        long pid = child.pid();
        long workerSession = Long.parseLong(lines.get(0).strip().split("\\s+")[2]);
        assertThat(lines).singleElement().asString().matches("\\s*" + pid + "\\s+" + pid + "\\s+\\d+");
        assertThat(workerSession).isNotEqualTo(pid);
    }

    @Test
    void childLeadsItsOwnProcessGroupAndSession() throws Exception {
        assumeTrue(kind == LauncherKind.POSIX, "only the posix launcher makes sessions");
        ChildProcess child = start("ps -o pid=,pgid=,sid= -p $$");

        run(child, Duration.ofSeconds(1), Duration.ZERO).await(lines::add, () -> false);

        long pid = child.pid();
        assertThat(lines).singleElement().asString().matches("\\s*" + pid + "\\s+" + pid + "\\s+" + pid);
    }

    @Test
    void environmentHasNoLdLibraryPathAndStdinIsEmpty() throws Exception {
        ChildProcess child = start("echo \"LD=${LD_LIBRARY_PATH-unset}\"; cat; echo done");

        RunOutcome outcome = run(child, Duration.ofSeconds(1), Duration.ZERO).await(lines::add, () -> false);

        assertThat(lines).containsExactly("LD=unset", "done");
        assertThat(outcome.exitStatus()).contains(new ExitStatus(0, 0));
    }

    @Test
    void childRunsInTheRequestedDirectoryAndGetsItsArgumentsAsTheyAre() throws Exception {
        Path odd = Files.createDirectory(dir.resolve("-n dir with 'quotes' & $HOME"));
        ChildProcess child = launcher.start(new LaunchRequest(List.of("sh", "-c", "pwd; printf '%s|' \"$@\"",
                "sh", "a b", "", "$HOME", "*"), odd));

        run(child, Duration.ofSeconds(1), Duration.ZERO).await(lines::add, () -> false);

        assertThat(lines).containsExactly(odd.toRealPath().toString(), "a b||$HOME|*|");
    }

    @Test
    void childInheritsNoOpenFileOfTheWorker() throws Exception {
        Path open = Files.writeString(dir.resolve("worker-file"), "x");
        try (var held = Files.newInputStream(open)) {
            // The shell's own short-lived descriptors (the pipe it sets up) may vanish while ls reads them.
            ChildProcess child = start("ls -l /proc/$$/fd 2>/dev/null | grep -c worker-file; true");

            run(child, Duration.ofSeconds(1), Duration.ZERO).await(lines::add, () -> false);
        }

        assertThat(lines).containsExactly("0");
    }

    @Test
    void stderrIsMergedIntoOutput() throws Exception {
        ChildProcess child = start("echo out; echo err >&2; exit 3");

        RunOutcome outcome = run(child, Duration.ofSeconds(1), Duration.ZERO).await(lines::add, () -> false);

        assertThat(lines).containsExactlyInAnyOrder("out", "err");
        assertThat(outcome.exitStatus()).contains(new ExitStatus(3, 0));
        assertThat(outcome.ending()).isEqualTo(RunOutcome.Ending.EXITED);
    }

    @Test
    void signalDeathIsReportedAsSignal() throws Exception {
        ChildProcess child = start("kill -SEGV $$");

        RunOutcome outcome = run(child, Duration.ofSeconds(1), Duration.ZERO).await(lines::add, () -> false);

        assertThat(outcome.exitStatus()).contains(new ExitStatus(0, 11));
        assertThat(outcome.exitStatus().get().describe()).isEqualTo("terminated due to signal SIGSEGV (11)");
    }

    @Test
    void stopKillsChildAndBackgroundGrandchild() throws Exception {
        ChildProcess child = start("sleep 1000 & echo bg=$!; sleep 1000");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread controller = new Thread(() -> {
            try {
                run(child, Duration.ofSeconds(5), Duration.ZERO).await(lines::add, () -> false);
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "test-controller");
        controller.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !lines.isEmpty());
        long grandchild = Long.parseLong(lines.get(0).substring(3));

        controller.interrupt();
        controller.join(10_000);

        assertThat(thrown.get()).isInstanceOf(ProcessStoppedException.class);
        assertThat(ProcessAssertions.isRunning(child.pid())).isFalse();
        assertThat(ProcessAssertions.isRunning(grandchild)).isFalse();
        assertThat(taskLog).contains("TERMinating subprocess pid=" + child.pid())
                .doesNotContain("Process pid=" + child.pid() + " did not stop in 5 seconds, going to KILL it");
    }

    @Test
    void termIgnoringChildIsKilledAfterTheGrace() throws Exception {
        Path ready = dir.resolve("ready");
        ChildProcess child = start("trap '' TERM; touch ready; while :; do sleep 0.05; done");
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread controller = new Thread(() -> {
            try {
                run(child, Duration.ofMillis(300), Duration.ZERO).await(lines::add, () -> false);
            } catch (Throwable t) {
                thrown.set(t);
            }
            done.countDown();
        }, "test-controller");
        controller.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(ready));

        controller.interrupt();

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        RunOutcome outcome = ((ProcessStoppedException) thrown.get()).outcome();
        assertThat(outcome.killSent()).isTrue();
        assertThat(outcome.survivors()).isEmpty();
        assertThat(taskLog).containsSubsequence("TERMinating subprocess pid=" + child.pid(),
                "Process pid=" + child.pid() + " did not stop in 0.3 seconds, going to KILL it",
                "Process pid=" + child.pid() + " terminated due to signal SIGKILL (9)");
    }

    @Test
    void inactivityTimeoutStopsTheTree() throws Exception {
        ChildProcess child = start("echo hi; sleep 1000");

        RunOutcome outcome = run(child, Duration.ofSeconds(2), Duration.ofMillis(500)).await(lines::add, () -> false);

        assertThat(outcome.ending()).isEqualTo(RunOutcome.Ending.INACTIVITY_TIMEOUT);
        // Launchers that stop leaves first (portable, spawn) kill `sleep` while `sh` still lives; sh may then say so.
        assertThat(lines).first().isEqualTo("hi");
        assertThat(lines.subList(1, lines.size())).allMatch("Terminated"::equals);
        assertThat(ProcessAssertions.isRunning(child.pid())).isFalse();
    }

    @Test
    void leftoverGroupMembersAreStoppedWhenTheLeaderExits() throws Exception {
        assumeTrue(kind != LauncherKind.PORTABLE, "portable finds a process only once a snapshot saw it (README)");
        ChildProcess child = start("sleep 1000 >/dev/null 2>&1 & echo bg=$!");

        RunOutcome outcome = run(child, Duration.ofSeconds(2), Duration.ZERO).await(lines::add, () -> false);

        long grandchild = Long.parseLong(lines.get(0).substring(3));
        assertThat(outcome.exitStatus()).contains(new ExitStatus(0, 0));
        assertThat(ProcessAssertions.isRunning(grandchild)).isFalse();
        assertThat(taskLog).contains("TERMinating subprocess pid=" + child.pid());
    }

    @Test
    void backgroundGrandchildSeenOnceIsStoppedWhenTheLeaderExits() throws Exception {
        ChildProcess child = start("sleep 1000 >/dev/null 2>&1 & echo bg=$!; sleep 0.5");

        RunOutcome outcome = run(child, Duration.ofSeconds(2), Duration.ZERO).await(lines::add, () -> false);

        long grandchild = Long.parseLong(lines.get(0).substring(3));
        assertThat(outcome.exitStatus()).contains(new ExitStatus(0, 0));
        assertThat(ProcessAssertions.isRunning(grandchild)).isFalse();
        assertThat(taskLog).contains("TERMinating subprocess pid=" + child.pid());
    }

    @Test
    void grandchildReparentedWhenItsParentExitsIsStillStopped() throws Exception {
        // the middle shell exits after one snapshot saw the sleeper, which is re-parented (to init); the leader runs on
        ChildProcess child = start("sh -c 'sleep 1000 >/dev/null 2>&1 & echo bg=$! $$; sleep 0.3'; sleep 1000");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread controller = new Thread(() -> {
            try {
                run(child, Duration.ofSeconds(5), Duration.ZERO).await(lines::add, () -> false);
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "test-controller");
        controller.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !lines.isEmpty());
        String[] pids = lines.get(0).substring(3).split(" ");
        long grandchild = Long.parseLong(pids[0]);
        long middle = Long.parseLong(pids[1]);
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(grandchild)
                .flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(middle) != middle);

        controller.interrupt();
        controller.join(10_000);

        assertThat(thrown.get()).isInstanceOf(ProcessStoppedException.class);
        assertThat(ProcessAssertions.isRunning(grandchild)).isFalse();
    }

    /** Holds lines until the end of their burst, then hands them on to {@link #lines}; fails on {@code failOn}. */
    private final class HoldingSink implements LineSink {
        final List<String> held = new java.util.ArrayList<>();
        private final String failOn;

        HoldingSink(String failOn) {
            this.failOn = failOn;
        }

        @Override
        public void line(String line) {
            if (line.equals(failOn)) {
                throw new IllegalStateException("processor bug");
            }
            held.add(line);
        }

        @Override
        public void endOfBurst() {
            lines.addAll(held);
            held.clear();
        }
    }

    @Test
    void sinkThatHoldsLinesUntilTheEndOfABurst_hasHandedOnEveryLineWhenTheRunEnds() throws Exception {
        ChildProcess child = start("i=0; while [ $i -lt 500 ]; do echo line$i; i=$((i+1)); done; printf tail");
        HoldingSink sink = new HoldingSink(null);

        run(child, Duration.ofSeconds(1), Duration.ZERO).await(sink, () -> false);

        assertThat(sink.held).isEmpty();
        assertThat(lines).hasSize(501).endsWith("line499", "tail");
    }

    @Test
    void sinkFailingOnALine_stillHandsOnTheLinesItHeldBeforeIt() throws Exception {
        ChildProcess child = start("printf 'one\\nboom\\nthree\\n'"); // one write: one read
        ProcessRun run = run(child, Duration.ofSeconds(1), Duration.ZERO);

        run.await(new HoldingSink("boom"), () -> false);

        assertThat(lines).containsExactly("one");
        assertThat(run.readerFailure()).get().asString().contains("processor bug");
    }

    @Test
    void sinkFailingAtTheEndOfABurst_isAReaderFailure() throws Exception {
        ChildProcess child = start("echo one");
        ProcessRun run = run(child, Duration.ofSeconds(1), Duration.ZERO);

        run.await(new LineSink() {
            @Override
            public void line(String line) {
                lines.add(line);
            }

            @Override
            public void endOfBurst() {
                throw new IllegalStateException("queue broken");
            }
        }, () -> false);

        assertThat(lines).containsExactly("one");
        assertThat(run.readerFailure()).get().asString().contains("queue broken");
    }

    @Test
    void slowConsumerPausesReadingWithoutLosingLines() throws Exception {
        ChildProcess child = start("i=0; while [ $i -lt 2000 ]; do echo line$i; i=$((i+1)); done");
        CountDownLatch release = new CountDownLatch(1);
        Thread releaser = new Thread(() -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() >= 1);
            release.countDown();
        }, "test-releaser");
        releaser.start();

        run(child, Duration.ofSeconds(1), Duration.ZERO).await(line -> {
            lines.add(line);
            release.await();
        }, () -> false);

        assertThat(lines).hasSize(2000).startsWith("line0").endsWith("line1999");
    }

    @Test
    void blockedConsumerIsNotInactivity() throws Exception {
        ChildProcess child = start("echo one; echo two");

        RunOutcome outcome = run(child, Duration.ofSeconds(1), Duration.ofSeconds(1)).await(line -> {
            lines.add(line);
            if (line.equals("one")) {
                new CountDownLatch(1).await(3, TimeUnit.SECONDS); // back-pressure longer than the timeout
            }
        }, () -> false);

        assertThat(outcome.ending()).isEqualTo(RunOutcome.Ending.EXITED);
        assertThat(lines).containsExactly("one", "two");
    }

    @Test
    void readerThreadCarriesTheCallersMdc() throws Exception {
        ChildProcess child = start("echo hi");
        List<String> seen = new CopyOnWriteArrayList<>();
        org.slf4j.MDC.put("task_id", "abc");
        try {
            run(child, Duration.ofSeconds(1), Duration.ZERO).await(line -> seen.add(org.slf4j.MDC.get("task_id")
                    + "@" + Thread.currentThread().getName()), () -> false);
        } finally {
            org.slf4j.MDC.remove("task_id");
        }

        assertThat(seen).containsExactly("abc@fw-output-" + child.pid());
    }

    @Test
    void stopRightAfterStartLeavesNothing() throws Exception {
        ProcessTreeStopper stopper = new ProcessTreeStopper(new SystemClock(), Duration.ofSeconds(1));
        for (int i = 0; i < 20; i++) {
            ChildProcess child = start("sleep 1000 & sleep 1000");

            StopResult result = stopper.stop(child, taskLog::add, true);

            assertThat(result.survivors()).isEmpty();
            assertThat(ProcessAssertions.isRunning(child.pid())).isFalse();
        }
    }

    @Test
    void startFailureNamesTheProgram() {
        assertThatThrownBy(() -> launcher.start(new LaunchRequest(List.of("/no/such/program"), dir)))
                .isInstanceOf(java.io.IOException.class);
    }
}
