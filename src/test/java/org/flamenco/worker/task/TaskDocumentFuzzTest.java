package org.flamenco.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.command.CommandRegistry;
import org.flamenco.worker.command.StopMode;
import org.flamenco.worker.command.blender.HelperScripts;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.TaskCommands;
import org.flamenco.worker.testing.Fuzz;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.flamenco.worker.testing.RecordingOutbox;
import org.flamenco.worker.testing.TestCommands;
import org.flamenco.worker.testing.TestEnvironments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing task documents: every registered command (core, Blender, FFmpeg) with random settings (known names with
 * values of every JSON type, unknown names, missing ones), plus malformed command lists. The runner must end each
 * task as {@code completed}, or {@code failed} with a message in the task's activity; no exception may escape it.
 * Values are drawn from a pool that stays inside the test's directory (no {@code /}, no {@code ..}) and runs only
 * harmless programs; a task still running after a few seconds is stopped, which must work too.
 */
@Timeout(300)
@ExtendWith(NoLeakedProcesses.class)
class TaskDocumentFuzzTest {
    private static final String TASK_ID = "5c8f0a9b1d2e3f4a5b6c7d8e";
    private static final List<String> SETTINGS = List.of("audio_file", "bitrate", "blender_cmd", "blendfile", "cmd",
            "codec", "contents", "cycles_chunk", "dest", "exe", "exr_directory", "exr_glob", "ffmpeg_cmd", "filepath",
            "format", "fps", "frame_end", "frame_start", "frames", "input_file", "input_files", "lines", "message",
            "output", "output_file", "output_pattern", "python_expr", "render_format", "render_output", "rendering",
            "src", "time_in_seconds", "video_file", "args", "argsBefore", "", "unknown");

    @TempDir
    Path dir;

    @Test
    void randomSettingsForEveryCommand_completeOrFailWithAMessage() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("existing.txt"), "x");
        Files.createDirectories(work.resolve("existing-dir"));
        try (HelperScripts helpers = HelperScripts.create(dir)) {
            CommandRegistry registry = new CommandRegistry(TestCommands.v2(helpers, ""));
            List<String> names = new ArrayList<>(registry.names());
            names.add("no_such_command");
            Fuzz.forAll("task documents", 250, r -> document(r, names, work), Object::toString, doc -> {
                RecordingOutbox outbox = new RecordingOutbox();
                TaskRunner runner = new TaskRunner(registry, outbox, new SystemClock(), (t, p) -> { },
                        TestEnvironments.in(work));
                TaskOutcome outcome = runStopping(runner,
                        new Task(TASK_ID, "fuzz", "job", "debug", "debug", TaskCommands.decodeV2(doc)));
                if (outcome.kind() == TaskOutcome.Kind.FAILED) {
                    assertThat(outbox.lastSnapshot().activity()).as("activity of a failed task").isNotBlank();
                }
            });
        }
    }

    /** Runs the task, stopping it after 5 s; an exception escaping {@link TaskRunner#run} fails the test. */
    private static TaskOutcome runStopping(TaskRunner runner, Task task) throws Exception {
        CompletableFuture<TaskOutcome> outcome = CompletableFuture.supplyAsync(() -> runner.run(task));
        try {
            return outcome.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            runner.stop(TASK_ID, StopMode.GRACEFUL, false, "stopped by the fuzz test");
            return outcome.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("an exception escaped the task runner", e.getCause());
        }
    }

    private static Object document(Random r, List<String> names, Path work) {
        int shape = r.nextInt(20);
        if (shape == 0) {
            return Fuzz.oneOf(r, "not a list", 7, List.of(), List.of("echo"), List.of(Map.of()),
                    List.of(Map.of("name", 5)), List.of(Map.of("name", "echo", "settings", "x")));
        }
        List<Object> commands = new ArrayList<>();
        int n = 1 + r.nextInt(2);
        for (int i = 0; i < n; i++) {
            Map<String, Object> cmd = new LinkedHashMap<>();
            cmd.put("name", names.get(r.nextInt(names.size())));
            Map<String, Object> settings = new LinkedHashMap<>();
            int keys = r.nextInt(7);
            for (int k = 0; k < keys; k++) {
                settings.put(SETTINGS.get(r.nextInt(SETTINGS.size())), value(r, work, 0));
            }
            cmd.put("settings", settings);
            commands.add(cmd);
        }
        return commands;
    }

    private static Object value(Random r, Path work, int depth) {
        return switch (r.nextInt(depth > 1 ? 9 : 11)) {
            case 0 -> null;
            case 1 -> r.nextBoolean();
            case 2 -> Fuzz.oneOf(r, -1, 0, 1, 2, 7, 30, 100);
            case 3 -> Fuzz.oneOf(r, 0.01, -0.5, 1.5, 1e300, Double.NaN);
            case 4 -> Fuzz.oneOf(r, 2147483648L, Long.MAX_VALUE, -2147483649L);
            case 5 -> Fuzz.string(r, "abcxyz019 _-%#{}\"'\\\u00e9\u20ac", 20);
            case 6 -> Fuzz.oneOf(r, work.resolve("existing.txt").toString(), work.resolve("existing-dir").toString(),
                    work.resolve("new-file.txt").toString(), work.resolve("out/frame-######.png").toString(),
                    work.resolve("no/such/dir/f").toString(), "relative-name", "");
            case 7 -> Fuzz.oneOf(r, "/bin/true", "/bin/false", "true", "/nonexistent/program", "echo hello",
                    "/bin/sh -c 'exit 3'", "/bin/echo 'unclosed", "1-3", "1,3,5", "10-1", "x-y", "PNG", "EXR",
                    "h264", "-y", "--flag=1");
            case 8 -> Fuzz.anyString(r, 30);
            case 9 -> {
                List<Object> list = new ArrayList<>();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    list.add(value(r, work, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put(Fuzz.oneOf(r, "a", "frame", ""), value(r, work, depth + 1));
                yield map;
            }
        };
    }
}
