package org.flamenco.worker.command.blender;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.flamenco.worker.command.Settings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact argument lists of commands.md §3.12–§3.17. */
class BlenderArgsTest {
    @TempDir
    Path dir;
    private BlenderSettingsReader reader;
    private String blender;
    private String blend;

    @BeforeEach
    void setUp() throws IOException {
        blender = Files.writeString(dir.resolve("blender"), "#!/bin/sh\n").toString();
        blend = Files.writeString(dir.resolve("thefile.blend"), "BLENDER").toString();
        reader = new BlenderSettingsReader(dir, new ExecutableSearch(dir, ""), new SteppingClock());
    }

    private Map<String, Object> settings(String... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("blender_cmd", "'" + blender + "' --with --cli=\"args for CLI\"");
        m.put("filepath", blend);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    private List<String> words() {
        return List.of(blender, "--with", "--cli=args for CLI");
    }

    @Test
    void render_openExrFrames1to2_acceptance36() throws Exception {
        BlenderRenderSettings s = reader.render(new Settings(settings("frames", "1..2", "format", "OPEN_EXR")));

        assertThat(BlenderArgs.render(s, Optional.empty())).containsExactlyElementsOf(concat(words(),
                "--enable-autoexec", "-noaudio", "--background", blend, "--render-format", "EXR",
                "--render-frame", "1..2"));
    }

    @Test
    void render_jpegKeepsFormatName_multilayerIsRenamed() throws Exception {
        BlenderRenderSettings jpeg = reader.render(new Settings(settings("format", "JPEG")));
        BlenderRenderSettings multi = reader.render(new Settings(settings("format", "OPEN_EXR_MULTILAYER")));

        assertThat(BlenderArgs.render(jpeg, Optional.empty())).endsWith("--render-format", "JPEG");
        assertThat(BlenderArgs.render(multi, Optional.empty())).endsWith("--render-format", "MULTILAYER");
    }

    @Test
    void render_allOptionsInOrder_overrideDirectlyAfterFilepath() throws Exception {
        BlenderRenderSettings s = reader.render(new Settings(settings("frames", "1..2", "format", "PNG",
                "python_expr", "import bpy", "render_output", dir.resolve("out/####").toString())));

        assertThat(BlenderArgs.render(s, Optional.of("/jobs/thefile-overrides.py")))
                .containsExactlyElementsOf(concat(words(), "--enable-autoexec", "-noaudio", "--background", blend,
                        "--python-exit-code", "42", "--python", "/jobs/thefile-overrides.py",
                        "--python-expr", "import bpy",
                        "--render-output", dir.resolve("out/####").toString(),
                        "--render-format", "PNG", "--render-frame", "1..2"));
    }

    @Test
    void overridePath_replacesLastBlendExtensionInAnyCase() {
        assertThat(BlenderArgs.overridePath("/jobs/thefile.blend")).isEqualTo("/jobs/thefile-overrides.py");
        assertThat(BlenderArgs.overridePath("/jobs/a.blend.d/shot.BLEND"))
                .isEqualTo("/jobs/a.blend.d/shot-overrides.py");
    }

    @Test
    void progressive_appendsChunkArgumentsAfterDoubleDash() throws Exception {
        Map<String, Object> m = settings("frames", "3", "format", "OPEN_EXR", "render_output", "/tmp/ro/####");
        m.put("cycles_num_chunks", 400);
        m.put("cycles_chunk_start", 223);
        m.put("cycles_chunk_end", 311);

        List<String> args = BlenderArgs.progressive(reader.progressive(new Settings(m)), Optional.empty());

        assertThat(args).endsWith("--render-output", "/tmp/ro/####", "--render-format", "EXR", "--render-frame", "3",
                "--", "--cycles-resumable-num-chunks", "400", "--cycles-resumable-start-chunk", "223",
                "--cycles-resumable-end-chunk", "311");
    }

    @Test
    void audio_scriptIsExactlyAsSpecified() throws Exception {
        Map<String, Object> m = settings("render_output", "/tmp/output.flac");
        m.put("frame_start", 1);
        m.put("frame_end", 47);

        AudioSettings s = reader.audio(new Settings(m));

        assertThat(BlenderArgs.audio(s)).containsExactlyElementsOf(concat(words(), "--enable-autoexec", "-noaudio",
                "--background", blend, "--python-exit-code", "47", "--python-expr",
                "import bpy\nbpy.context.scene.frame_start = 1\nbpy.context.scene.frame_end = 47\n"
                        + "bpy.ops.sound.mixdown(filepath='/tmp/output.flac', codec='FLAC', container='FLAC', "
                        + "accuracy=128)\nbpy.ops.wm.quit_blender()"));
    }

    @Test
    void audio_withoutFrameRange_hasNoFrameLines() {
        AudioSettings s = new AudioSettings(new BlenderRenderSettings(List.of("b"), "f.blend", "it's.flac", "", "",
                ""), OptionalLong.empty(), OptionalLong.empty());

        assertThat(BlenderScripts.audioMixdown(s)).isEqualTo("import bpy\nbpy.ops.sound.mixdown("
                + "filepath=\"it's.flac\", codec='FLAC', container='FLAC', accuracy=128)\nbpy.ops.wm.quit_blender()");
    }

    @Test
    void exrToJpeg_appendsHelperAndItsArguments() throws Exception {
        ExrToJpegSettings s = reader.exrToJpeg(new Settings(settings("exr_glob", "/some/path/to/files-*.exr",
                "output_pattern", "preview-######")));

        assertThat(BlenderArgs.exrToJpeg(s, Optional.empty(), "/tmp/helpers/exr_sequence_to_jpeg.py"))
                .containsExactlyElementsOf(concat(words(), "--enable-autoexec", "-noaudio", "--background", blend,
                        "--python-exit-code", "32", "--python", "/tmp/helpers/exr_sequence_to_jpeg.py", "--",
                        "--exr-glob", "/some/path/to/files-*.exr", "--output-pattern", "preview-######"));
    }

    @Test
    void merge_runsFactoryStartupWithGeneratedScript() {
        assertThat(BlenderArgs.merge(List.of("/opt/blender"), "import bpy")).containsExactly("/opt/blender",
                "--factory-startup", "--enable-autoexec", "-noaudio", "--background", "--python-exit-code", "47",
                "--python-expr", "import bpy");
    }

    @Test
    void mergeScript_embedsPathsAsPythonLiteralsAndWeights() {
        MergeSettings s = new MergeSettings(List.of("b"), "/r/it's a.exr", "/r/b\\c.exr", "/r/out.exr", 3, 1);

        String script = BlenderScripts.mergeFiles(s, "/r/tmp");

        assertThat(script).contains("img1 = image_node(\"/r/it's a.exr\")", "img2 = image_node('/r/b\\\\c.exr')",
                "w1 = value_node('weight1', 3)", "w2 = value_node('weight2', 1)",
                "save_render(filepath='/r/tmp/merged0001.exr')", "render.image_settings.color_depth = '32'",
                "render.image_settings.exr_codec = 'ZIP'");
    }

    @Test
    void mergeSequenceScript_setsSequenceOnBothImageNodes() {
        MergeSequenceSettings s = new MergeSequenceSettings(
                new MergeSettings(List.of("b"), "/r/a-0010.exr", "/r/b-0010.exr", "/r/m-####.exr", 1, 1), 10, 14);

        String script = BlenderScripts.mergeSequence(s);

        assertThat(script).contains("node.frame_duration = 5\n", "node.frame_start = 10\n",
                "node.frame_offset = 9\n", "scene.frame_start = 10\n", "scene.frame_end = 14\n",
                "render.filepath = '/r/m-####.exr'\n", "bpy.ops.render.render(animation=True)");
    }
}
