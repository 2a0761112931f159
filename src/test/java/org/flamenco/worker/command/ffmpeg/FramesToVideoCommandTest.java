package org.flamenco.worker.command.ffmpeg;

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
import org.flamenco.worker.command.blender.ExecutableSearch;
import org.flamenco.worker.command.blender.MediaFakes;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.flamenco.worker.testing.RecordingReporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Flamenco 3 {@code frames-to-video} (commands.md §7). */
@ExtendWith(NoLeakedProcesses.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FramesToVideoCommandTest {
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
    void runsTheFakeFfmpegWithTheV3ArgumentOrder() throws Exception {
        Path ffmpeg = MediaFakes.install("ffmpeg", dir.resolve("bin"));
        Path frames = Files.createDirectories(dir.resolve("frames"));
        Files.writeString(frames.resolve("0001.png"), "png");
        Path video = dir.resolve("video.mp4");
        CommandEnvironment env = MediaFakes.environment(dir, new SystemClock());

        new FramesToVideoCommand("").prepare(new Settings(params(ffmpeg, "exeArgs", "-hide_banner", "fps", 24.0,
                "inputGlob", frames + "/*.png", "outputFile", video.toString(), "argsBefore", List.of("-y"),
                "args", List.of("-c:v", "h264"))), env)
                .execute(MediaFakes.context(FramesToVideoCommand.NAME, new RecordingReporter(), env));

        assertThat(MediaFakes.argv(ffmpeg)).containsExactly("-hide_banner", "-y", "-r", "24", "-pattern_type", "glob",
                "-i", frames + "/*.png", "-c:v", "h264", "-r", "24", video.toString());
        assertThat(video).isNotEmptyFile();
    }

    @Test
    void zeroFps_isInvalid() throws Exception {
        Path exe = Files.writeString(dir.resolve("ffmpeg"), "#!/bin/sh\n");
        assertThat(exe.toFile().setExecutable(true)).isTrue();

        assertThatThrownBy(() -> FramesToVideoCommand.argv(new Settings(params(exe, "fps", 0, "inputGlob", "/x/*.png",
                "outputFile", "/o.mp4")), new ExecutableSearch(dir, ""))).hasMessage("\"fps\" must not be zero");
    }

    @Test
    void exeArgsWithAnOpenQuote_isInvalid() throws Exception {
        Path exe = Files.writeString(dir.resolve("ffmpeg"), "#!/bin/sh\n");
        assertThat(exe.toFile().setExecutable(true)).isTrue();

        assertThatThrownBy(() -> FramesToVideoCommand.argv(new Settings(params(exe, "exeArgs", "-v 'quiet", "fps", 24,
                "inputGlob", "/x/*.png", "outputFile", "/o.mp4")), new ExecutableSearch(dir, "")))
                .hasMessage("\"exeArgs\" cannot be split into words: No closing quotation");
    }
}
