package org.flamenco.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandRegistry;
import org.flamenco.worker.command.StopMode;
import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.TaskCommands;
import org.flamenco.worker.model.TaskStatus;
import org.flamenco.worker.process.PidFileGuard;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.flamenco.worker.testing.ProcessAssertions;
import org.flamenco.worker.testing.RecordingOutbox;
import org.flamenco.worker.testing.TestCommands;
import org.flamenco.worker.testing.TestEnvironments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.flamenco.worker.process.LauncherKind;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

@Timeout(60)
@ExtendWith(NoLeakedProcesses.class)
@ParameterizedClass
@EnumSource(value = LauncherKind.class, names = "WINDOWS", mode = EnumSource.Mode.EXCLUDE)
class TaskRunnerTest {
    private final LauncherKind kind;

    TaskRunnerTest(LauncherKind kind) {
        this.kind = kind;
    }

    private static final String TASK_ID = "5c8f0a9b1d2e3f4a5b6c7d8e";
    private final RecordingOutbox outbox = new RecordingOutbox();
    private final List<Path> outputs = new CopyOnWriteArrayList<>();
    @TempDir
    Path dir;

    private TaskRunner runner(CommandEnvironment env) {
        return new TaskRunner(new CommandRegistry(TestCommands.v2WithoutMedia()), outbox, new SystemClock(),
                (t, p) -> outputs.add(p), env);
    }

    private TaskRunner runner() {
        return runner(TestEnvironments.in(kind, dir));
    }

    private static Map<String, Object> cmd(String name, Map<String, ?> settings) {
        return Map.of("name", name, "settings", settings);
    }

    private static Task task(Object commands) {
        return new Task(TASK_ID, "the task", "the job", "debug", "debug", TaskCommands.decodeV2(commands));
    }

    private static Map<String, Object> exec(String cmd) {
        return cmd("exec", Map.of("cmd", cmd));
    }

    @Test
    void successfulTask_sendsActiveFirstAndCompletedLast() {
        TaskOutcome outcome = runner().run(task(List.of(cmd("echo", Map.of("message", "hello")))));

        assertThat(outcome.kind()).isEqualTo(TaskOutcome.Kind.COMPLETED);
        List<ActivitySnapshot> snapshots = outbox.snapshots();
        assertThat(snapshots.get(0)).isEqualTo(new ActivitySnapshot(TaskStatus.ACTIVE, "", 0, 0, 0, Map.of()));
        ActivitySnapshot last = outbox.lastSnapshot();
        assertThat(last.taskStatus()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(last.activity()).isEqualTo("Task completed");
        assertThat(last.taskProgressPercentage()).isEqualTo(100);
        assertThat(last.commandProgressPercentage()).isEqualTo(100);
        assertThat(last.timing()).containsOnlyKeys("total");
        assertThat(outbox.kinds()).startsWith("begin").endsWith("end");
    }

    @Test
    void execTaskLogsInTheSpecifiedOrder() {
        runner().run(task(List.of(exec("sh -c 'echo one; echo two'"))));

        List<String> log = outbox.logLines();
        assertThat(log.get(0)).isEqualTo("exec: Starting");
        assertThat(log.get(1)).isEqualTo("exec: Executing sh -c 'echo one; echo two'");
        assertThat(log.get(2)).matches("pid=\\d+ > one");
        String pid = log.get(2).substring(4, log.get(2).indexOf(' '));
        assertThat(log.subList(3, log.size())).containsExactly("pid=" + pid + " > two",
                "exec: Subprocess sh -c 'echo one; echo two': Process pid=" + pid + " exited with status code 0",
                log.get(5), log.get(6), "exec: Finished", log.get(8));
        assertThat(log.get(5)).matches("exec: finished in \\d+\\.\\ds, CPU \\d+\\.\\ds, peak memory "
                + "(\\d+(\\.\\d)? [KM]iB|unknown)");
        assertThat(log.get(6)).matches("exec: command timing information: \\{\"total\": \\d+\\.\\d+(e-0\\d)?}");
        assertThat(log.get(8)).matches("Aggregated task timing info: \\{\"total\": \\d+\\.\\d+(e-0\\d)?}");
    }

    @Test
    void an8MiBOutputLine_reachesTheLogAs128PiecesEachWithThePidPrefix() {
        runner().run(task(List.of(exec("sh -c 'head -c 8388608 /dev/zero | tr -c x x; echo'"))));

        List<String> output = outbox.logLines().stream().filter(l -> l.contains("xxxxxxxx")).toList();
        assertThat(output).hasSize(128).allMatch(l -> l.matches("pid=\\d+ > x{65536}"));
    }

    @Test
    void commandTwoOfThreeFails_commandThreeDoesNotRunAndActivityNamesIdentifier() throws Exception {
        Path marker = dir.resolve("third-ran");
        TaskOutcome outcome = runner().run(task(List.of(
                cmd("echo", Map.of("message", "first")),
                exec("sh -c 'exit 3'"),
                exec("touch " + marker))));

        assertThat(outcome.kind()).isEqualTo(TaskOutcome.Kind.FAILED);
        assertThat(Files.exists(marker)).isFalse();
        ActivitySnapshot last = outbox.lastSnapshot();
        assertThat(last.taskStatus()).isEqualTo(TaskStatus.FAILED);
        assertThat(last.activity()).matches("exec\\.\\(task_id=" + TASK_ID + ", command_idx=1\\): Error executing: "
                + "Command sh -c 'exit 3' \\(pid=\\d+\\) failed with status 3");
        assertThat(last.currentCommandIdx()).isEqualTo(1);
        assertThat(outbox.logLines()).anyMatch(l -> l.startsWith("exec.(task_id=" + TASK_ID
                + ", command_idx=1): Error executing: Command sh -c 'exit 3'"));
    }

    @Test
    void invalidSettings_failWithErrorInSettingsAndInvalidSettingsActivity() {
        TaskOutcome outcome = runner().run(task(List.of(cmd("exec", Map.of("cmd", List.of(1, 2, 3))))));

        String identifier = "exec.(task_id=" + TASK_ID + ", command_idx=0)";
        assertThat(outcome.kind()).isEqualTo(TaskOutcome.Kind.FAILED);
        assertThat(outbox.logLines()).contains(identifier + ": Error in settings: \"cmd\" must be a string");
        assertThat(outbox.lastSnapshot().activity())
                .isEqualTo(identifier + ": Invalid settings: \"cmd\" must be a string");
        assertThat(outbox.lastSnapshot().taskStatus()).isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void unknownCommandName_failsTheTaskAsInvalid() {
        TaskOutcome outcome = runner().run(task(List.of(cmd("echo", Map.of("message", "x")),
                cmd("frobnicate", Map.of()))));

        String message = "Invalid task: Command 1 of task " + TASK_ID + " has unknown command name 'frobnicate'";
        assertThat(outcome.kind()).isEqualTo(TaskOutcome.Kind.FAILED);
        assertThat(outcome.activity()).isEqualTo(message);
        assertThat(outcome.execution()).isEqualTo(outbox.entries().get(0).execution());
        assertThat(outbox.logLines()).containsExactly(message);
        assertThat(outbox.lastSnapshot().activity()).isEqualTo(message);
        assertThat(outbox.lastSnapshot().taskStatus()).isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void commandWithoutName_failsTheTaskAsInvalid() {
        TaskOutcome outcome = runner().run(task(List.of(Map.of("settings", Map.of()))));

        assertThat(outcome.activity()).isEqualTo("Invalid task: Command 0 of task " + TASK_ID + " has no name");
    }

    @Test
    void nonObjectSettings_failTheTaskAsInvalid() {
        Map<String, Object> command = new java.util.HashMap<>();
        command.put("name", "echo");
        command.put("settings", List.of(1, "a"));

        TaskOutcome outcome = runner().run(task(List.of(command)));

        assertThat(outcome.activity()).isEqualTo("Invalid task: Command 0 of task " + TASK_ID
                + " has malformed settings [1, 'a']");
    }

    @Test
    void commandsNotAList_failTheTaskAsInvalid() {
        TaskOutcome outcome = runner().run(task(null));

        assertThat(outcome.activity()).isEqualTo("Invalid task: Task " + TASK_ID + " has no valid \"commands\" list");
    }

    @Test
    void progressIsIntegralAndNeverDecreases() {
        runner().run(task(List.of(cmd("log_a_lot", Map.of("lines", 50)), cmd("sleep",
                Map.of("time_in_seconds", 0.05)), cmd("echo", Map.of("message", "done")))));

        List<ActivitySnapshot> snapshots = outbox.snapshots();
        int task = 0;
        for (ActivitySnapshot s : snapshots) {
            assertThat(s.taskProgressPercentage()).isBetween(task, 100);
            task = s.taskProgressPercentage();
        }
        assertThat(snapshots).extracting(ActivitySnapshot::taskProgressPercentage).contains(33, 66, 100);
    }

    @Test
    void stopDuringCommand_killsChildAndGrandchildAndSendsNoStatus() throws Exception {
        TaskRunner runner = runner();
        CompletableFuture<TaskOutcome> result = CompletableFuture.supplyAsync(
                () -> runner.run(task(List.of(exec("sh -c 'sleep 1000 & echo bg=$!; sleep 1000'"),
                        cmd("echo", Map.of("message", "never"))))));
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.logLines().stream().anyMatch(l -> l.contains("bg=")));
        List<Long> pids = pids();

        assertThat(runner.stop(TASK_ID, StopMode.GRACEFUL, true, "stopped running this task")).isTrue();

        TaskOutcome outcome = result.get(20, TimeUnit.SECONDS);
        assertThat(outcome.kind()).isEqualTo(TaskOutcome.Kind.STOPPED);
        assertThat(pids).hasSize(2).allSatisfy(pid -> assertThat(ProcessAssertions.isRunning(pid)).isFalse());
        assertThat(outbox.snapshots()).extracting(ActivitySnapshot::taskStatus).containsOnly(TaskStatus.ACTIVE);
        assertThat(outbox.logLines()).doesNotContain("never").last().isEqualTo("stopped running this task");
        assertThat(outbox.logLines()).noneMatch(l -> l.contains("Error executing"))
                .noneMatch(l -> l.contains("going to KILL it")); // TERM was enough for sh and both sleeps
        assertThat(outbox.kinds()).contains("silent").endsWith("end");
        assertThat(runner.awaitIdle(Duration.ofSeconds(1))).isTrue();
        assertThat(runner.runningTaskId()).isEmpty();
        assertThat(outcome.execution()).isEqualTo(outbox.entries().get(0).execution());
    }

    @Test
    void stopWhileTheCommandStartsItsProcess_stillStopsTheTask() throws Exception {
        TaskRunner runner = runner();
        outbox.onLog(line -> {
            if (line.startsWith("exec: Executing")) { // on the runner thread, just before the process starts
                runner.stop(TASK_ID, StopMode.GRACEFUL, false, "stopped running this task");
            }
        });

        TaskOutcome outcome = CompletableFuture.supplyAsync(() -> runner.run(task(List.of(exec("sleep 30")))))
                .get(20, TimeUnit.SECONDS);

        assertThat(outcome.kind()).isEqualTo(TaskOutcome.Kind.STOPPED);
        assertThat(outbox.logLines()).last().isEqualTo("stopped running this task");
    }

    private List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (String l : outbox.logLines()) {
            if (l.startsWith("exec: Executing")) {
                continue;
            }
            if (l.contains("bg=")) {
                pids.add(Long.parseLong(l.substring(4, l.indexOf(' '))));
                pids.add(Long.parseLong(l.substring(l.indexOf("bg=") + 3)));
            }
        }
        return pids;
    }

    @Test
    void termIgnoringChild_isKilledAfterGraceAndTheLogShowsTermAndKill() throws Exception {
        TaskRunner runner = runner(TestEnvironments.in(kind, dir, Duration.ofMillis(300), Duration.ZERO,
                PidFileGuard.disabled()));
        CompletableFuture<TaskOutcome> result = CompletableFuture.supplyAsync(() -> runner.run(task(List.of(
                exec("sh -c \"trap '' TERM; echo ready; while :; do sleep 0.05; done\"")))));
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.logLines().stream().anyMatch(
                l -> l.endsWith("> ready")));

        runner.stop(StopMode.GRACEFUL, false, null);

        assertThat(result.get(20, TimeUnit.SECONDS).kind()).isEqualTo(TaskOutcome.Kind.STOPPED);
        assertThat(outbox.logLines()).anyMatch(l -> l.matches("exec: TERMinating subprocess pid=\\d+"))
                .anyMatch(l -> l.matches("exec: Process pid=\\d+ did not stop in 0.3 seconds, going to KILL it"));
    }

    @Test
    void immediateStop_skipsTheGrace() throws Exception {
        TaskRunner runner = runner(TestEnvironments.in(kind, dir, Duration.ofSeconds(30), Duration.ZERO,
                PidFileGuard.disabled()));
        CompletableFuture<TaskOutcome> result = CompletableFuture.supplyAsync(() -> runner.run(task(List.of(
                exec("sh -c \"trap '' TERM; echo ready; while :; do sleep 0.05; done\"")))));
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.logLines().stream().anyMatch(
                l -> l.endsWith("> ready")));
        runner.stop(StopMode.GRACEFUL, false, null);
        await().atMost(Duration.ofSeconds(5)).until(() -> outbox.logLines().stream().anyMatch(
                l -> l.contains("TERMinating")));

        runner.stop(StopMode.IMMEDIATE, false, null);

        assertThat(result.get(5, TimeUnit.SECONDS).kind()).isEqualTo(TaskOutcome.Kind.STOPPED);
    }

    @Test
    void stopForAnotherTaskIdIsIgnored() throws Exception {
        TaskRunner runner = runner();
        CompletableFuture<TaskOutcome> result = CompletableFuture.supplyAsync(() -> runner.run(task(List.of(
                cmd("sleep", Map.of("time_in_seconds", 1000))))));
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.runningExecution().isPresent());

        assertThat(runner.stop("000000000000000000000000", StopMode.GRACEFUL, true, "x")).isFalse();

        assertThat(runner.awaitIdle(Duration.ofMillis(200))).isFalse();
        assertThat(outbox.kinds()).doesNotContain("silent");
        runner.stop(StopMode.IMMEDIATE, false, null);
        assertThat(result.get(5, TimeUnit.SECONDS).kind()).isEqualTo(TaskOutcome.Kind.STOPPED);
    }

    @Test
    void stopWithoutRunningTaskReturnsFalse() {
        assertThat(runner().stop(StopMode.GRACEFUL, false, null)).isFalse();
    }

    @Test
    void stopDuringSleep_returnsPromptly() throws Exception {
        TaskRunner runner = runner();
        CompletableFuture<TaskOutcome> result = CompletableFuture.supplyAsync(() -> runner.run(task(List.of(
                cmd("sleep", Map.of("time_in_seconds", 1000))))));
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.runningTaskId().isPresent()
                && outbox.logLines().contains("Sleeping for 1000 seconds"));

        runner.stop(StopMode.GRACEFUL, false, "shutting down");

        assertThat(result.get(5, TimeUnit.SECONDS).kind()).isEqualTo(TaskOutcome.Kind.STOPPED);
        assertThat(outbox.logLines()).last().isEqualTo("shutting down");
    }

    @Test
    void inactivityTimeout_failsTheCommandAndKillsTheTree() {
        TaskRunner runner = runner(TestEnvironments.in(kind, dir, Duration.ofSeconds(1), Duration.ofMillis(400),
                PidFileGuard.disabled()));

        TaskOutcome outcome = runner.run(task(List.of(exec("sh -c 'echo hi; sleep 1000'"))));

        assertThat(outcome.kind()).isEqualTo(TaskOutcome.Kind.FAILED);
        assertThat(outcome.activity()).matches(".*Error executing: Command pid=\\d+ timed out after 0.4 seconds "
                + "without output; its process tree was killed");
    }

    @Test
    void signalDeath_failsWithSignalText() {
        TaskOutcome outcome = runner().run(task(List.of(exec("sh -c 'kill -SEGV $$'"))));

        assertThat(outcome.activity()).matches(".*Error executing: Subprocess sh -c 'kill -SEGV \\$\\$' \\(pid=\\d+\\) "
                + "terminated by signal SIGSEGV \\(11\\)");
        assertThat(outbox.logLines()).anyMatch(l -> l.matches("exec: Subprocess sh -c 'kill -SEGV \\$\\$': "
                + "Process pid=\\d+ terminated due to signal SIGSEGV \\(11\\)"));
    }

    @Test
    void hugeLineAndInvalidUtf8_doNotFailTheCommand() {
        TaskOutcome outcome = runner().run(task(List.of(exec(
                "sh -c \"head -c 1048576 /dev/zero | tr '\\\\0' x; echo; printf 'bad\\\\377byte\\\\n'\""))));

        assertThat(outcome.kind()).isEqualTo(TaskOutcome.Kind.COMPLETED);
        List<String> pieces = outbox.logLines().stream().filter(l -> l.matches("pid=\\d+ > x+")).toList();
        assertThat(pieces).hasSize(16);
        assertThat(outbox.logLines()).anyMatch(l -> l.matches("pid=\\d+ > bad\uFFFDbyte"));
    }

    @Test
    void producedOutputsReachTheConsumer() throws Exception {
        Path src = Files.writeString(dir.resolve("frame.png"), "px");
        Path dest = dir.resolve("out/frame.png");

        runner().run(task(List.of(cmd("copy_file", Map.of("src", src.toString(), "dest", dest.toString())))));

        assertThat(outputs).containsExactly(dest);
    }

    @Test
    void outboxFailureIsAnInternalWorkerError() {
        org.flamenco.worker.outbox.Outbox failing = new FailingLogOutbox(outbox, "boom-line");

        TaskOutcome outcome = new TaskRunner(new CommandRegistry(TestCommands.v2WithoutMedia()), failing,
                new SystemClock(), (t, p) -> outputs.add(p), TestEnvironments.in(kind, dir))
                .run(task(List.of(cmd("echo", Map.of("message", "boom-line")))));

        assertThat(outcome.kind()).isEqualTo(TaskOutcome.Kind.FAILED);
        assertThat(outcome.activity()).isEqualTo("Internal worker error: OutboxException: disk full");
        assertThat(outbox.lastSnapshot().taskStatus()).isEqualTo(TaskStatus.FAILED);
        assertThat(outbox.kinds()).endsWith("end");
    }

    /** Delegates to a recording outbox but fails to capture one particular log line. */
    private static final class FailingLogOutbox implements org.flamenco.worker.outbox.Outbox {
        private final RecordingOutbox delegate;
        private final String poison;

        FailingLogOutbox(RecordingOutbox delegate, String poison) {
            this.delegate = delegate;
            this.poison = poison;
        }

        @Override
        public org.flamenco.worker.model.ExecutionId beginExecution(String taskId) {
            return delegate.beginExecution(taskId);
        }

        @Override
        public void captureLog(org.flamenco.worker.model.ExecutionId e, String line)
                throws org.flamenco.worker.outbox.OutboxException {
            if (line.equals(poison)) {
                throw new org.flamenco.worker.outbox.OutboxException("disk full", new java.io.IOException("ENOSPC"));
            }
            delegate.captureLog(e, line);
        }

        @Override
        public void captureActivity(org.flamenco.worker.model.ExecutionId e, ActivitySnapshot s) {
            delegate.captureActivity(e, s);
        }

        @Override
        public void markSilentlyAborting(org.flamenco.worker.model.ExecutionId e) {
            delegate.markSilentlyAborting(e);
        }

        @Override
        public void endExecution(org.flamenco.worker.model.ExecutionId e) {
            delegate.endExecution(e);
        }

        @Override
        public void releaseAll() {
            delegate.releaseAll();
        }

        @Override
        public org.flamenco.worker.outbox.QueueState state() {
            return delegate.state();
        }

        @Override
        public boolean awaitTaskDelivered(String taskId, Duration timeout) {
            return true;
        }

        @Override
        public boolean awaitAllDelivered(Duration timeout) {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** A registry of one command that runs {@code run} (settings are ignored). */
    private static CommandRegistry registryOf(String name, org.flamenco.worker.command.PreparedCommand run) {
        return new CommandRegistry(List.of(new org.flamenco.worker.command.Command() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public org.flamenco.worker.command.PreparedCommand prepare(org.flamenco.worker.command.Settings s,
                    CommandEnvironment e) {
                return run;
            }
        }));
    }

    @Test
    void mdcCarriesTaskIdWhileRunning() {
        List<String> seen = new CopyOnWriteArrayList<>();
        CommandRegistry registry = registryOf("probe", context -> {
            seen.add(MDC.get("task_id"));
            seen.add(MDC.get("command"));
        });

        new TaskRunner(registry, outbox, new SystemClock(), (t, p) -> outputs.add(p), TestEnvironments.in(kind, dir))
                .run(task(List.of(cmd("probe", Map.of()))));

        assertThat(seen).containsExactly(TASK_ID, "probe.(task_id=" + TASK_ID + ", command_idx=0)");
        assertThat(MDC.get("task_id")).isNull();
    }

    @Test
    void outputLineLoggedWithoutACaptureAfterIt_isCapturedBeforeTheExecutionEnds() {
        CommandRegistry registry = registryOf("last-words", context -> {
            context.logOutputLine(42, "last words");
            throw new InterruptedException("stopped right after");
        });

        new TaskRunner(registry, outbox, new SystemClock(), (t, p) -> outputs.add(p), TestEnvironments.in(kind, dir))
                .run(task(List.of(cmd("last-words", Map.of()))));

        assertThat(outbox.logLines()).contains("pid=42 > last words");
        List<String> kinds = outbox.kinds();
        assertThat(kinds.lastIndexOf("log")).isLessThan(kinds.indexOf("end"));
    }

    @Test
    void unexpectedException_isAnExecutionErrorOfThatCommand() {
        CommandRegistry registry = registryOf("broken", context -> {
            throw new IllegalStateException("boom");
        });

        TaskOutcome outcome = new TaskRunner(registry, outbox, new SystemClock(), (t, p) -> outputs.add(p),
                TestEnvironments.in(kind, dir)).run(task(List.of(cmd("broken", Map.of()))));

        assertThat(outcome.activity()).isEqualTo("broken.(task_id=" + TASK_ID
                + ", command_idx=0): Error executing: IllegalStateException: boom");
    }
}
