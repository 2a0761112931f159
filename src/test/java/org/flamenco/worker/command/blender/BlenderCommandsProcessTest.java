package org.flamenco.worker.command.blender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.process.PidFileGuard;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.flamenco.worker.testing.RecordingReporter;
import org.flamenco.worker.testing.TestEnvironments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Blender commands end to end, running the fake {@code blender} script as a real child process. */
@ExtendWith(NoLeakedProcesses.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlenderCommandsProcessTest {
    @TempDir
    Path dir;
    private final RecordingReporter reporter = new RecordingReporter();
    private CommandEnvironment env;
    private Path blend;

    @BeforeEach
    void setUp() throws Exception {
        env = MediaFakes.environment(dir, new SystemClock());
        blend = Files.writeString(dir.resolve("shot.blend"), "BLENDER-v402");
    }

    private Path fakeBlender(String... knobs) throws Exception {
        return MediaFakes.install("blender", dir.resolve("bin"), knobs);
    }

    private Map<String, Object> settings(Path blender, Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("blender_cmd", blender.toString());
        m.put("filepath", blend.toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private void run(Command command, Map<String, Object> settings) throws Exception {
        command.prepare(new Settings(settings), env).execute(MediaFakes.context(command.name(), reporter, env));
    }

    @Test
    void blenderRender_acceptance36_runsExactArgvAndTurnsFraLineIntoActivity() throws Exception {
        Path blender = fakeBlender();

        run(new BlenderRenderCommand(""), settings(blender, "frames", "1..2", "format", "OPEN_EXR"));

        assertThat(MediaFakes.argv(blender)).containsExactly("--enable-autoexec", "-noaudio", "--background",
                blend.toString(), "--render-format", "EXR", "--render-frame", "1..2");
        assertThat(reporter.activities()).first().isEqualTo("Starting Blender");
        assertThat(reporter.activities()).contains("Fra:1 Mem:33.14M | Time:00:00.10 | Cube");
        assertThat(reporter.log()).anyMatch(l -> l.matches("pid=\\d+ > Fra:1 Mem:33\\.14M \\(Peak 47\\.50M\\) .*"));
        assertThat(reporter.timing()).containsKeys("starting blender", "loading blendfile", "rendering");
    }

    @Test
    void blenderRender_announcesEveryFrameAndReportsProgress() throws Exception {
        Path blender = fakeBlender();
        Path output = dir.resolve("render/shot-####");

        run(new BlenderRenderCommand(""), settings(blender, "frames", "1..3", "format", "PNG",
                "render_output", output.toString()));

        assertThat(reporter.outputs()).containsExactly(dir.resolve("render/shot-0001.png"),
                dir.resolve("render/shot-0002.png"), dir.resolve("render/shot-0003.png"));
        assertThat(reporter.progress()).isNotEmpty().isSorted().allSatisfy(p -> assertThat(p).isBetween(1, 99));
        assertThat(MediaFakes.argv(blender)).containsSequence("--render-output", output.toString(),
                "--render-format", "PNG", "--render-frame", "1..3");
    }

    @Test
    void blenderRender_blender5Output_isParsedToo() throws Exception {
        Path blender = fakeBlender("FAKE_BLENDER_STYLE=5");

        run(new BlenderRenderCommand(""), settings(blender, "frames", "4",
                "render_output", dir.resolve("out/####").toString()));

        assertThat(reporter.activities()).contains("Fra:4 Mem:6M | Syncing Cube");
        assertThat(reporter.outputs()).containsExactly(dir.resolve("out/0004.png"));
    }

    @Test
    void blenderRender_frameWithoutOutput_failsNamingTheFrame() throws Exception {
        Path blender = fakeBlender("FAKE_BLENDER_SKIP_FRAME=2");

        assertThatThrownBy(() -> run(new BlenderRenderCommand(""), settings(blender, "frames", "1..3",
                "render_output", dir.resolve("out/####").toString())))
                .isInstanceOf(CommandFailedException.class)
                .hasMessage("Blender exited normally but reported output for only 2 of 3 frames; missing frames: 2");
    }

    @Test
    void blenderRender_outOfMemory_failureQuotesBlender() throws Exception {
        Path fixture = fixtureCopy("out-of-memory.txt");
        Path blender = fakeBlender("FAKE_BLENDER_FIXTURE=" + fixture, "FAKE_BLENDER_EXIT=1");

        assertThatThrownBy(() -> run(new BlenderRenderCommand(""), settings(blender, "frames", "1")))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageMatching("Command .* \\(pid=\\d+\\) failed with status 1 \\(Blender reported: Fra:1 "
                        + "Mem:7920\\.11M .*Out of memory in CUDA queue enqueue \\(integrator_shade_surface\\)\\)");
    }

    @Test
    void blenderRender_failingOverrideScript_exits42AndQuotesThePythonError() throws Exception {
        Path override = Files.writeString(dir.resolve("shot-overrides.py"), "import bpy\nsamples\n");
        Path fixture = fixtureCopy("python-error.txt");
        Path blender = fakeBlender("FAKE_BLENDER_FIXTURE=" + fixture, "FAKE_BLENDER_EXIT=42");

        assertThatThrownBy(() -> run(new BlenderRenderCommand(""), settings(blender, "frames", "1")))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("failed with status 42")
                .hasMessageEndingWith("(Blender reported: Error: Python: Traceback (most recent call last):)");
        assertThat(MediaFakes.argv(blender)).containsSequence(blend.toString(), "--python-exit-code", "42",
                "--python", override.toString());
        assertThat(reporter.log()).contains("Override file found in " + override,
                "Override file contains:\nimport bpy\nsamples\n");
    }

    @Test
    void blenderRender_missingBinary_failsValidation() {
        assertThatThrownBy(() -> new BlenderRenderCommand("").prepare(new Settings(
                settings(dir.resolve("no/blender"), "frames", "1")), env))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("blender_cmd '" + dir.resolve("no/blender") + "' does not exist");
    }

    @Test
    void blenderRender_missingBlendFile_failsValidationAfterWaiting() throws Exception {
        Path blender = fakeBlender();
        SteppingClock clock = new SteppingClock();
        CommandEnvironment fakeTime = MediaFakes.environment(dir, clock);
        Map<String, Object> s = settings(blender);
        s.put("filepath", dir.resolve("gone.blend").toString());

        assertThatThrownBy(() -> new BlenderRenderCommand("").prepare(new Settings(s), fakeTime))
                .hasMessage("filepath '" + dir.resolve("gone.blend") + "' does not exist");
        assertThat(clock.sleeps()).hasSize(1);
    }

    @Test
    void pidFileOfARunningProcess_failsValidation() throws Exception {
        Path blender = fakeBlender();
        Path pidFile = Files.writeString(dir.resolve("subprocess.pid"), Long.toString(ProcessHandle.current().pid()));
        CommandEnvironment guarded = TestEnvironments.in(dir, Duration.ofSeconds(1), Duration.ZERO,
                new PidFileGuard(pidFile, new SystemClock()));

        assertThatThrownBy(() -> new BlenderRenderCommand("").prepare(new Settings(settings(blender, "frames", "1")),
                guarded)).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("Subprocess from " + pidFile + " is still running: pid="
                        + ProcessHandle.current().pid());
        assertThat(MediaFakes.argv(blender)).isEmpty();
    }

    @Test
    void progressive_passesChunkArguments() throws Exception {
        Path blender = fakeBlender();

        run(new BlenderRenderProgressiveCommand(""), settings(blender, "frames", "1", "cycles_num_chunks", 400,
                "cycles_chunk_start", 223, "cycles_chunk_end", 311));

        assertThat(MediaFakes.argv(blender)).endsWith("--render-frame", "1", "--",
                "--cycles-resumable-num-chunks", "400", "--cycles-resumable-start-chunk", "223",
                "--cycles-resumable-end-chunk", "311");
    }

    @Test
    void audio_writesTheFlacFile() throws Exception {
        Path blender = fakeBlender();
        Path flac = dir.resolve("audio/shot.flac");

        run(new BlenderRenderAudioCommand(""), settings(blender, "render_output", flac.toString(),
                "frame_start", 1, "frame_end", 47));

        assertThat(flac).isNotEmptyFile();
        assertThat(MediaFakes.argv(blender)).containsSequence("--python-exit-code", "47", "--python-expr");
    }

    @Test
    void audio_missingOutput_fails() throws Exception {
        Path blender = fakeBlender("FAKE_BLENDER_FIXTURE=/dev/null");
        Path flac = dir.resolve("shot.flac");

        assertThatThrownBy(() -> run(new BlenderRenderAudioCommand(""), settings(blender,
                "render_output", flac.toString())))
                .hasMessage("Blender finished but " + flac + " is missing or empty");
    }

    @Test
    void exrSequenceToJpeg_runsTheHelperAndAnnouncesPreviews() throws Exception {
        Path blender = fakeBlender();
        Path exr = Files.createDirectories(dir.resolve("exr"));
        Files.writeString(exr.resolve("shot-0001.exr"), "exr");
        Files.writeString(exr.resolve("shot-0002.exr"), "exr");
        Path helperDir;
        try (HelperScripts helpers = HelperScripts.create(dir)) {
            helperDir = helpers.directory();

            run(new ExrSequenceToJpegCommand("", helpers), settings(blender, "exr_glob", exr + "/shot-*.exr",
                    "output_pattern", "preview-######"));

            assertThat(MediaFakes.argv(blender)).endsWith("--python-exit-code", "32", "--python",
                    helpers.exrSequenceToJpeg().toString(), "--", "--exr-glob", exr + "/shot-*.exr",
                    "--output-pattern", "preview-######");
        }
        assertThat(reporter.outputs()).containsExactly(exr.resolve("preview-000001.jpg"),
                exr.resolve("preview-000002.jpg"));
        assertThat(helperDir).doesNotExist();
    }

    @Test
    void mergeProgressiveRenders_movesMergedFileIntoPlaceAndRemovesTempDir() throws Exception {
        Path blender = fakeBlender();
        Path a = Files.writeString(dir.resolve("a.exr"), "a");
        Path b = Files.writeString(dir.resolve("b.exr"), "b");
        Path output = dir.resolve("merged/out.exr");

        run(new MergeProgressiveRendersCommand(""), Map.of("blender_cmd", blender.toString(), "input1",
                a.toString(), "input2", b.toString(), "output", output.toString(), "weight1", 3, "weight2", 1));

        assertThat(output).isNotEmptyFile();
        try (Stream<Path> left = Files.list(output.getParent())) {
            assertThat(left).containsExactly(output);
        }
        assertThat(reporter.outputs()).containsExactly(output);
        assertThat(reporter.activities()).first().isEqualTo("Starting Blender to merge EXR files");
        List<String> argv = MediaFakes.argv(blender);
        assertThat(argv.subList(0, argv.size() - 1)).containsExactly("--factory-startup", "--enable-autoexec",
                "-noaudio", "--background", "--python-exit-code", "47", "--python-expr");
    }

    @Test
    void mergeProgressiveRenders_blenderProducingNothing_failsAndStillRemovesTempDir() throws Exception {
        Path blender = fakeBlender("FAKE_BLENDER_FIXTURE=/dev/null");
        Path a = Files.writeString(dir.resolve("a.exr"), "a");
        Path output = dir.resolve("merged/out.exr");

        assertThatThrownBy(() -> run(new MergeProgressiveRendersCommand(""), Map.of("blender_cmd",
                blender.toString(), "input1", a.toString(), "input2", a.toString(), "output", output.toString(),
                "weight1", 1, "weight2", 1)))
                .hasMessageMatching("Blender did not produce .*/merged/merge-[^/]*/merged0001\\.exr");
        try (Stream<Path> left = Files.list(output.getParent())) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void mergeProgressiveRenderSequence_announcesAndCountsMergedFrames() throws Exception {
        Path blender = fakeBlender();
        Path a = Files.writeString(dir.resolve("a-0001.exr"), "a");
        Path output = dir.resolve("merged/m-####.exr");

        run(new MergeProgressiveRenderSequenceCommand(""), new HashMap<>(Map.of("blender_cmd", blender.toString(),
                "input1", a.toString(), "input2", a.toString(), "output", output.toString(), "weight1", 1,
                "weight2", 1, "frame_start", 1, "frame_end", 3)));

        List<Path> expected = new ArrayList<>();
        for (int f = 1; f <= 3; f++) {
            expected.add(dir.resolve(String.format("merged/m-%04d.exr", f)));
        }
        assertThat(reporter.outputs()).containsAll(expected);
        assertThat(reporter.activities()).first().isEqualTo("Starting Blender to merge EXR sequence");
    }

    @Test
    void mergeProgressiveRenderSequence_fewerFrames_fails() throws Exception {
        Path blender = fakeBlender("FAKE_BLENDER_SKIP_FRAME=2");
        Path a = Files.writeString(dir.resolve("a-0001.exr"), "a");

        assertThatThrownBy(() -> run(new MergeProgressiveRenderSequenceCommand(""), Map.of("blender_cmd",
                blender.toString(), "input1", a.toString(), "input2", a.toString(), "output",
                dir.resolve("merged/m-####.exr").toString(), "weight1", 1, "weight2", 1, "frame_start", 1,
                "frame_end", 3)))
                .hasMessage("Blender produced 2 of 3 merged frames");
    }

    @Test
    void interruptedRender_stopsBlenderAndPropagatesTheStop() throws Exception {
        Path blender = fakeBlender("FAKE_BLENDER_HANG=1");
        PreparedCommand prepared = new BlenderRenderCommand("").prepare(new Settings(settings(blender,
                "frames", "1")), env);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread task = new Thread(() -> {
            try {
                prepared.execute(MediaFakes.context(BlenderRenderCommand.NAME, reporter, env));
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "fw-task-test");
        task.start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> reporter.activities().stream().anyMatch(a -> a.startsWith("Fra:1 ")));

        task.interrupt();
        task.join(Duration.ofSeconds(30).toMillis());

        assertThat(task.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    private Path fixtureCopy(String name) throws Exception {
        Path copy = dir.resolve(name);
        Files.write(copy, String.join("\n", BlenderLineProcessorTest.fixture(name)).getBytes());
        return copy;
    }

    @Test
    void blenderCommands_registersTheirWireNames() throws Exception {
        try (HelperScripts helpers = HelperScripts.create(dir)) {
            assertThat(BlenderCommands.v2(helpers, "")).extracting(Command::name).containsExactly("blender_render",
                    "blender_render_progressive", "blender_render_audio", "exr_sequence_to_jpeg",
                    "merge_progressive_renders", "merge_progressive_render_sequence");
        }
        assertThat(BlenderCommands.v3("")).extracting(Command::name).containsExactly("blender-render");
    }
}
