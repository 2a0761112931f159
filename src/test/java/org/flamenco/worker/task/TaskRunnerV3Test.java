package org.flamenco.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.command.CommandRegistry;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.TaskCommands;
import org.flamenco.worker.model.TaskStatus;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.flamenco.worker.testing.RecordingOutbox;
import org.flamenco.worker.testing.TestCommands;
import org.flamenco.worker.testing.TestEnvironments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A Flamenco 3 task through the task runner (protocol-v3.md §6, commands.md §7). */
@Timeout(60)
@ExtendWith(NoLeakedProcesses.class)
class TaskRunnerV3Test {
    private static final String TASK_ID = "01234567-89ab-4cde-8f01-23456789abcd";
    private final RecordingOutbox outbox = new RecordingOutbox();
    @TempDir
    Path dir;

    private TaskOutcome run(List<Map<String, Object>> commands) {
        TaskRunner runner = new TaskRunner(new CommandRegistry(TestCommands.v3("")), outbox, new SystemClock(),
                (taskId, p) -> { }, TestEnvironments.in(dir), WorkerMetrics.NONE, TaskDialect.V3);
        return runner.run(new Task(TASK_ID, "t", "job", "simple", "misc", TaskCommands.decodeV3(commands)));
    }

    private static Map<String, Object> cmd(String name, Map<String, ?> parameters, Object totalStepCount) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("parameters", parameters);
        c.put("total_step_count", totalStepCount);
        return c;
    }

    private List<Integer> steps() {
        return outbox.snapshots().stream().map(ActivitySnapshot::stepsCompleted).toList();
    }

    @Test
    void success_startsActiveStarted_endsCompleted_withEveryStepCounted() {
        TaskOutcome outcome = run(List.of(cmd("echo", Map.of("message", "hi"), 0),
                cmd("sleep", Map.of("duration_in_seconds", 0), 3)));

        assertThat(outcome.kind()).isEqualTo(TaskOutcome.Kind.COMPLETED);
        ActivitySnapshot first = outbox.snapshots().get(0);
        assertThat(first.taskStatus()).isEqualTo(TaskStatus.ACTIVE);
        assertThat(first.activity()).isEqualTo("Started");
        assertThat(outbox.lastSnapshot().taskStatus()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(outbox.lastSnapshot().activity()).isEqualTo("Completed");
        assertThat(steps()).isSorted().contains(1).endsWith(4);
        assertThat(outbox.logLines()).contains("echo: \"hi\"", "slept 0s");
    }

    @Test
    void blenderFrames_areCountedOneStepEach_savedAndTimeLinesOfOneFrameOnce() {
        String script = "for f in 1 2 3; do echo \"Fra:$f Mem:1M | Time:00:00.10 | Sample 1/1\"; "
                + "printf x > " + dir + "/f$f.png; echo \"Saved: '" + dir + "/f$f.png'\"; "
                + "echo ' Time: 00:00.20 (Saving: 00:00.01)'; done";

        run(List.of(cmd("blender-render", Map.of("exe", "/bin/sh", "exeArgs", "", "argsBefore", List.of(),
                "blendfile", "", "args", List.of("-c", script)), 3)));

        assertThat(outbox.lastSnapshot().taskStatus()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(steps()).isSorted().containsSubsequence(1, 2, 3).endsWith(3);
    }

    @Test
    void failedCommand_reportsFailedWithFailedActivityAndLog_andStopsTheTask() {
        TaskOutcome outcome = run(List.of(cmd("echo", Map.of("message", "one"), 0),
                cmd("exec", Map.of("exe", "/bin/sh", "args", List.of("-c", "exit 7")), 0),
                cmd("make-directory", Map.of("path", dir.resolve("never").toString()), 0)));

        assertThat(outcome.kind()).isEqualTo(TaskOutcome.Kind.FAILED);
        ActivitySnapshot last = outbox.lastSnapshot();
        assertThat(last.taskStatus()).isEqualTo(TaskStatus.FAILED);
        assertThat(last.activity()).startsWith("Failed: exec.(task_id=" + TASK_ID + ", command_idx=1): "
                + "Error executing: ");
        assertThat(outbox.logLines()).contains(last.activity());
        assertThat(last.stepsCompleted()).isEqualTo(1);
        assertThat(dir.resolve("never")).doesNotExist();
    }

    @Test
    void badParameter_failsNamingCommandParameterAndExpectedForm() {
        run(List.of(cmd("sleep", Map.of("duration_in_seconds", -2), 0)));

        assertThat(outbox.lastSnapshot().activity()).isEqualTo("Failed: sleep.(task_id=" + TASK_ID
                + ", command_idx=0): Invalid settings: \"duration_in_seconds\" must be a number of seconds >= 0, "
                + "not -2");
        assertThat(outbox.lastSnapshot().taskStatus()).isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void v2CommandName_isUnknownInV3() {
        run(List.of(cmd("move_out_of_way", Map.of("src", "x"), 0)));

        assertThat(outbox.lastSnapshot().activity()).startsWith("Failed: Invalid task: ")
                .contains("unknown command name 'move_out_of_way'");
    }

    @Test
    void malformedTotalStepCount_failsTheTask() {
        run(List.of(cmd("echo", Map.of("message", "x"), "3")));

        assertThat(outbox.lastSnapshot().activity()).contains("malformed total_step_count '3'");
    }

    @Test
    void unknownCommandWithMalformedTotalStepCount_namesTheUnknownCommand() {
        run(List.of(cmd("echo", Map.of("message", "x"), 1), cmd("frobnicate", Map.of(), -1)));

        assertThat(outbox.lastSnapshot().activity()).isEqualTo("Failed: Invalid task: Command 1 of task " + TASK_ID
                + " has unknown command name 'frobnicate'");
    }
}
