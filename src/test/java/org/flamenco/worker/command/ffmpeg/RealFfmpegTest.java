package org.flamenco.worker.command.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.command.blender.ExecutableSearch;
import org.flamenco.worker.command.blender.MediaFakes;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.flamenco.worker.testing.RecordingReporter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code create_video} with a real FFmpeg; skipped when {@code ffmpeg} is not on {@code PATH}. */
@ExtendWith(NoLeakedProcesses.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealFfmpegTest {
    @TempDir
    Path dir;
    private Path ffmpeg;

    @BeforeEach
    void requireFfmpeg() {
        Optional<Path> found = new ExecutableSearch(Path.of("").toAbsolutePath(),
                Objects.requireNonNullElse(System.getenv("PATH"), "")).find("ffmpeg", true);
        assumeTrue(found.isPresent(), "ffmpeg is not on PATH");
        ffmpeg = found.get();
    }

    @Test
    void createsAVideoFromGeneratedFrames() throws Exception {
        Path frames = Files.createDirectories(dir.resolve("frames"));
        Process gen = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-f", "lavfi", "-i",
                "testsrc=size=64x48:rate=1", "-frames:v", "3", frames.resolve("f%04d.png").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(gen.waitFor(60, TimeUnit.SECONDS)).isTrue();
        RecordingReporter reporter = new RecordingReporter();
        CommandEnvironment env = MediaFakes.environment(dir, new SystemClock());
        Path video = dir.resolve("video.mkv");

        new CreateVideoCommand(System.getenv("PATH")).prepare(new Settings(Map.of("ffmpeg_cmd", ffmpeg.toString(),
                "input_files", frames + "/*.png", "output_file", video.toString(), "fps", 24)), env)
                .execute(MediaFakes.context(CreateVideoCommand.NAME, reporter, env));

        assertThat(video).isNotEmptyFile();
    }
}
