package org.flamenco.worker.command.blender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.flamenco.worker.testing.RecordingReporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Flamenco 3 {@code blender-render} (commands.md §7). */
@ExtendWith(NoLeakedProcesses.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlenderRenderV3CommandTest {
    @TempDir
    Path dir;

    private static Map<String, Object> params(Path exe, Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("exe", exe.toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void argv_isExeWordsArgsBeforeBlendfileArgs_withNumbersWithoutPointZero() throws Exception {
        Path exe = Files.writeString(dir.resolve("blender"), "#!/bin/sh\n");

        List<String> argv = BlenderRenderV3Command.argv(new Settings(params(exe, "exeArgs", "--factory-startup "
                + "--python-expr \"print('hi')\"", "argsBefore", List.of("-b"), "blendfile", "shot.blend",
                "args", List.of("--render-frame", 24.0, "--fps", 23.976))), new ExecutableSearch(dir, ""));

        assertThat(argv).containsExactly(exe.toString(), "--factory-startup", "--python-expr", "print('hi')", "-b",
                "shot.blend", "--render-frame", "24", "--fps", "23.976");
    }

    @Test
    void emptyBlendfile_isOmitted_butTheKeyIsRequired() throws Exception {
        Path exe = Files.writeString(dir.resolve("blender"), "#!/bin/sh\n");
        ExecutableSearch search = new ExecutableSearch(dir, "");

        assertThat(BlenderRenderV3Command.argv(new Settings(params(exe, "blendfile", "", "args", List.of("-a"))),
                search)).containsExactly(exe.toString(), "-a");
        assertThatThrownBy(() -> BlenderRenderV3Command.argv(new Settings(params(exe)), search))
                .hasMessage("Missing \"blendfile\"");
        assertThatThrownBy(() -> BlenderRenderV3Command.argv(new Settings(params(exe, "blendfile", "",
                "args", List.of(true))), search))
                .hasMessage("\"args\" must be an array of strings and numbers, not containing a boolean");
    }

    @Test
    void rendersWithTheFakeBlenderAndAnnouncesOutputs() throws Exception {
        Path blender = MediaFakes.install("blender", dir.resolve("bin"));
        Path blend = Files.writeString(dir.resolve("shot.blend"), "BLENDER");
        CommandEnvironment env = MediaFakes.environment(dir, new SystemClock());
        RecordingReporter reporter = new RecordingReporter();

        new BlenderRenderV3Command("").prepare(new Settings(params(blender, "argsBefore", List.of("--background"),
                "blendfile", blend.toString(), "args", List.of("--render-output", dir.resolve("out/####").toString(),
                        "--render-format", "PNG", "--render-frame", "1..2"))), env)
                .execute(MediaFakes.context(BlenderRenderV3Command.NAME, reporter, env));

        assertThat(MediaFakes.argv(blender)).containsExactly("--background", blend.toString(), "--render-output",
                dir.resolve("out/####").toString(), "--render-format", "PNG", "--render-frame", "1..2");
        assertThat(reporter.outputs()).containsExactly(dir.resolve("out/0001.png"), dir.resolve("out/0002.png"));
        assertThat(reporter.activities()).anyMatch(a -> a.startsWith("Fra:1 Mem:33.14M"));
    }
}
