package org.flamenco.worker.command.blender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.Settings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every validation message of commands.md §3.12–§3.17. */
class BlenderSettingsReaderTest {
    @TempDir
    Path dir;
    private final SteppingClock clock = new SteppingClock();
    private BlenderSettingsReader reader;
    private Path blender;
    private Path blend;

    @BeforeEach
    void setUp() throws IOException {
        blender = Files.writeString(dir.resolve("blender"), "#!/bin/sh\n");
        blend = Files.writeString(dir.resolve("shot.blend"), "BLENDER");
        reader = new BlenderSettingsReader(dir, new ExecutableSearch(dir, ""), clock);
    }

    private Map<String, Object> render() {
        Map<String, Object> m = new HashMap<>();
        m.put("blender_cmd", blender.toString());
        m.put("filepath", blend.toString());
        return m;
    }

    private static Settings settings(Map<String, Object> m) {
        return new Settings(m);
    }

    private void assertRenderInvalid(Map<String, Object> m, String message) {
        assertThatThrownBy(() -> reader.render(settings(m)))
                .isInstanceOf(InvalidSettingException.class).hasMessage(message);
    }

    @Test
    void render_splitsBlenderCmdIntoWords() throws Exception {
        Map<String, Object> m = render();
        m.put("blender_cmd", "'" + blender + "' --with --cli=\"args for CLI\"");

        BlenderRenderSettings s = reader.render(settings(m));

        assertThat(s.blenderWords()).containsExactly(blender.toString(), "--with", "--cli=args for CLI");
    }

    @Test
    void render_missingBlenderCmd() {
        Map<String, Object> m = render();
        m.remove("blender_cmd");

        assertRenderInvalid(m, "Missing \"blender_cmd\"");
    }

    @Test
    void render_blenderCmdOfWrongType() {
        Map<String, Object> m = render();
        m.put("blender_cmd", 3);

        assertRenderInvalid(m, "\"blender_cmd\" must be a string, not an integer");
    }

    @Test
    void render_blenderCmdNamingNoFile() {
        Map<String, Object> m = render();
        m.put("blender_cmd", "/nonexistent/blender --factory-startup");

        assertRenderInvalid(m, "blender_cmd '/nonexistent/blender' does not exist");
    }

    @Test
    void render_blenderCmdWithUnclosedQuote() {
        Map<String, Object> m = render();
        m.put("blender_cmd", "'/opt/blender");

        assertRenderInvalid(m, "\"blender_cmd\" cannot be split into words: No closing quotation");
    }

    @Test
    void render_bareBlenderCmdIsLookedUpOnPath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path onPath = Files.writeString(bin.resolve("blender-4.2"), "#!/bin/sh\n");
        onPath.toFile().setExecutable(true);
        reader = new BlenderSettingsReader(dir, new ExecutableSearch(dir, bin.toString()), clock);
        Map<String, Object> m = render();
        m.put("blender_cmd", "blender-4.2 --factory-startup");

        assertThat(reader.render(settings(m)).blenderWords()).containsExactly("blender-4.2", "--factory-startup");
    }

    @Test
    void render_missingFilepath() {
        Map<String, Object> m = render();
        m.remove("filepath");

        assertRenderInvalid(m, "Missing \"filepath\"");
    }

    @Test
    void render_blendFileThatNeverAppears_failsAfterWaitingFiveSeconds() {
        Map<String, Object> m = render();
        m.put("filepath", dir.resolve("it's missing.blend").toString());

        assertRenderInvalid(m, "filepath \"" + dir.resolve("it's missing.blend") + "\" does not exist");
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void render_existingBlendFile_doesNotWait() throws Exception {
        reader.render(settings(render()));

        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void render_formatOfWrongType() {
        Map<String, Object> m = render();
        m.put("format", 12);

        assertRenderInvalid(m, "\"format\" must be a string, not an integer");
    }

    @Test
    void render_renderFormatIsTypeChecked() {
        Map<String, Object> m = render();
        m.put("render_format", List.of("PNG"));

        assertRenderInvalid(m, "\"render_format\" must be a string, not an array");
    }

    @Test
    void render_framesOfWrongType() {
        Map<String, Object> m = render();
        m.put("frames", true);

        assertRenderInvalid(m, "\"frames\" must be a string, not a boolean");
    }

    @Test
    void render_pythonExprOfWrongType() {
        Map<String, Object> m = render();
        m.put("python_expr", 1.5);

        assertRenderInvalid(m, "\"python_expr\" must be a string, not a number");
    }

    @Test
    void render_createsRenderOutputParentDuringValidation() throws Exception {
        Map<String, Object> m = render();
        m.put("render_output", dir.resolve("out/shot/####").toString());

        reader.render(settings(m));

        assertThat(dir.resolve("out/shot")).isDirectory();
    }

    @Test
    void render_renderOutputParentThatCannotBeCreated() throws Exception {
        Files.writeString(dir.resolve("afile"), "x");
        Map<String, Object> m = render();
        m.put("render_output", dir.resolve("afile/sub/####").toString());

        assertThatThrownBy(() -> reader.render(settings(m))).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("\"render_output\": dir " + dir.resolve("afile/sub") + " cannot be created: ");
    }

    @Test
    void render_checksRenderOutputBeforeBlenderCmd() {
        Map<String, Object> m = render();
        m.put("render_output", 5);
        m.remove("blender_cmd");

        assertRenderInvalid(m, "\"render_output\" must be a string, not an integer");
    }

    @Test
    void progressive_obsoleteCyclesChunk() {
        Map<String, Object> m = render();
        m.put("cycles_chunk", 3);

        assertThatThrownBy(() -> reader.progressive(settings(m))).hasMessage("\"cycles_chunk\" is an obsolete "
                + "setting. Recreate the job using Flamenco Server 2.2 or newer, or use an older Worker.");
    }

    @Test
    void progressive_chunkSettingsMustBePositiveIntegers() {
        for (Object bad : new Object[] {0, -3, "12", 1.5, null}) {
            Map<String, Object> m = render();
            m.put("cycles_num_chunks", 400);
            m.put("cycles_chunk_start", bad);
            m.put("cycles_chunk_end", 311);

            assertThatThrownBy(() -> reader.progressive(settings(m))).as("value %s", bad)
                    .hasMessage("\"cycles_chunk_start\" must be a positive integer");
        }
    }

    @Test
    void audio_requiresRenderOutput() {
        Map<String, Object> missing = render();
        Map<String, Object> empty = render();
        empty.put("render_output", "");

        assertThatThrownBy(() -> reader.audio(settings(missing))).hasMessage("Missing \"render_output\"");
        assertThatThrownBy(() -> reader.audio(settings(empty))).hasMessage("'render_output' is a required setting");
    }

    @Test
    void audio_frameRangeMustBeIntegers() {
        Map<String, Object> m = render();
        m.put("render_output", dir.resolve("audio.flac").toString());
        m.put("frame_start", "1");

        assertThatThrownBy(() -> reader.audio(settings(m)))
                .hasMessage("\"frame_start\" must be an integer, not a string");
    }

    @Test
    void exrToJpeg_needsExactlyOneOfGlobAndDirectory() {
        Map<String, Object> neither = render();
        Map<String, Object> both = render();
        both.put("exr_glob", "/x/*.exr");
        both.put("exr_directory", "/x");

        assertThatThrownBy(() -> reader.exrToJpeg(settings(neither))).hasMessage("\"exr_glob\" may not be empty");
        assertThatThrownBy(() -> reader.exrToJpeg(settings(both)))
                .hasMessage("Just pass \"exr_glob\", do not use \"exr_directory\"");
    }

    @Test
    void exrToJpeg_emptyOutputPattern() {
        Map<String, Object> m = render();
        m.put("exr_glob", "/x/*.exr");
        m.put("output_pattern", "");

        assertThatThrownBy(() -> reader.exrToJpeg(settings(m))).hasMessage("\"output_pattern\" may not be empty");
    }

    @Test
    void exrToJpeg_directoryBecomesGlob_andPatternDefaults() throws Exception {
        Map<String, Object> m = render();
        m.put("exr_directory", "/some/path/to/exr");

        ExrToJpegSettings s = reader.exrToJpeg(settings(m));

        assertThat(s.exrGlob()).isEqualTo("/some/path/to/exr/*.exr");
        assertThat(s.outputPattern()).isEqualTo("preview-######.jpg");
    }

    private Map<String, Object> merge() throws IOException {
        Map<String, Object> m = new HashMap<>();
        m.put("blender_cmd", blender.toString());
        m.put("input1", Files.writeString(dir.resolve("a.exr"), "exr").toString());
        m.put("input2", Files.writeString(dir.resolve("b.exr"), "exr").toString());
        m.put("output", dir.resolve("merged/out.exr").toString());
        m.put("weight1", 3);
        m.put("weight2", 1);
        return m;
    }

    @Test
    void merge_rejectsDoubleQuotesInFilenames() throws Exception {
        Map<String, Object> m = merge();
        m.put("output", "/render/\"quoted\".exr");

        assertThatThrownBy(() -> reader.merge(settings(m)))
                .hasMessage("Double quotes are not allowed in filenames: '/render/\"quoted\".exr'");
    }

    @Test
    void merge_inputsMustExist() throws Exception {
        Map<String, Object> m1 = merge();
        m1.put("input1", "/nonexistent/a.exr");
        Map<String, Object> m2 = merge();
        m2.put("input2", "/nonexistent/b.exr");

        assertThatThrownBy(() -> reader.merge(settings(m1))).hasMessage("Input 1 '/nonexistent/a.exr' does not exist");
        assertThatThrownBy(() -> reader.merge(settings(m2))).hasMessage("Input 2 '/nonexistent/b.exr' does not exist");
    }

    @Test
    void merge_weightsMustBeIntegers() throws Exception {
        Map<String, Object> m = merge();
        m.put("weight2", 0.5);

        assertThatThrownBy(() -> reader.merge(settings(m))).hasMessage("\"weight2\" must be an integer, not a number");
    }

    @Test
    void mergeSequence_outputNeedsTwoHashes() throws Exception {
        Map<String, Object> m = merge();
        m.put("output", dir.resolve("merged/out-#.exr").toString());
        m.put("frame_start", 1);
        m.put("frame_end", 3);

        assertThatThrownBy(() -> reader.mergeSequence(settings(m)))
                .hasMessage("Output filename should contain at least two \"##\" marks");
    }

    @Test
    void mergeSequence_requiresFrameRange() throws Exception {
        Map<String, Object> m = merge();
        m.put("output", dir.resolve("merged/out-####.exr").toString());
        m.put("frame_start", 1);

        assertThatThrownBy(() -> reader.mergeSequence(settings(m))).hasMessage("Missing \"frame_end\"");
    }
}
