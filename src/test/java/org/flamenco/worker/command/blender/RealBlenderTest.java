package org.flamenco.worker.command.blender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.flamenco.worker.testing.RecordingReporter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code blender_render} with a real Blender; skipped when {@code blender} is not on {@code PATH}. */
@ExtendWith(NoLeakedProcesses.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RealBlenderTest {
    @TempDir
    Path dir;
    private Path blender;

    static Optional<Path> onPath(String program) {
        return new ExecutableSearch(Path.of("").toAbsolutePath(), Objects.requireNonNullElse(System.getenv("PATH"),
                "")).find(program, true);
    }

    @BeforeEach
    void requireBlender() {
        Optional<Path> found = onPath("blender");
        assumeTrue(found.isPresent(), "blender is not on PATH");
        blender = found.get();
    }

    @Test
    void rendersTwoFramesOfAGeneratedBlendFile() throws Exception {
        Path blend = dir.resolve("tiny.blend");
        Process save = new ProcessBuilder(blender.toString(), "--background", "--factory-startup", "--python-expr",
                "import bpy\nscene = bpy.context.scene\nscene.render.engine = 'CYCLES'\n"
                        + "scene.cycles.samples = 1\nscene.cycles.device = 'CPU'\nscene.cycles.use_denoising = False\n"
                        + "scene.render.resolution_x = 32\nscene.render.resolution_y = 32\n"
                        + "bpy.ops.wm.save_as_mainfile(filepath=" + org.flamenco.worker.command.PythonText.repr(
                        blend.toString()) + ")")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(save.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(blend).isNotEmptyFile();
        RecordingReporter reporter = new RecordingReporter();
        CommandEnvironment env = MediaFakes.environment(dir, new SystemClock());

        new BlenderRenderCommand(System.getenv("PATH")).prepare(new Settings(Map.of("blender_cmd",
                blender.toString(), "filepath", blend.toString(), "frames", "1..2", "format", "OPEN_EXR",
                "render_output", dir.resolve("out/####").toString())), env)
                .execute(MediaFakes.context(BlenderRenderCommand.NAME, reporter, env));

        // Workbench prints no Fra: lines in Blender 3.x; Cycles does, so the scene renders with Cycles (1 sample).
        assertThat(reporter.outputs()).hasSize(2).allSatisfy(p -> assertThat(p).isNotEmptyFile()
                .hasExtension("exr"));
        assertThat(reporter.activities()).anyMatch(a -> a.startsWith("Fra:1 "));
    }
}
