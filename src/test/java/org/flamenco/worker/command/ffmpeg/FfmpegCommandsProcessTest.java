package org.flamenco.worker.command.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.process.PidFileGuard;
import org.flamenco.worker.command.blender.MediaFakes;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.flamenco.worker.testing.RecordingReporter;
import org.flamenco.worker.testing.TestEnvironments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The FFmpeg commands end to end, running the fake {@code ffmpeg} script as a real child process. */
@ExtendWith(NoLeakedProcesses.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FfmpegCommandsProcessTest {
    @TempDir
    Path dir;
    private final RecordingReporter reporter = new RecordingReporter();
    private CommandEnvironment env;
    private Path frames;

    @BeforeEach
    void setUp() throws Exception {
        env = MediaFakes.environment(dir, new SystemClock());
        frames = Files.createDirectories(dir.resolve("frames"));
        for (int i = 1; i <= 4; i++) {
            Files.writeString(frames.resolve(String.format("%04d.png", i)), "png");
        }
    }

    private Path fakeFfmpeg(String... knobs) throws Exception {
        return MediaFakes.install("ffmpeg", dir.resolve("bin"), knobs);
    }

    private void run(Command command, Path ffmpeg, Object... keyValues) throws Exception {
        Map<String, Object> m = new HashMap<>();
        m.put("ffmpeg_cmd", ffmpeg.toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        command.prepare(new Settings(m), env).execute(MediaFakes.context(command.name(), reporter, env));
    }

    @Test
    void createVideo_runsExactArgvWritesVideoAndReportsProgress() throws Exception {
        Path ffmpeg = fakeFfmpeg();
        Path video = dir.resolve("video.mkv");

        run(new CreateVideoCommand("", false), ffmpeg, "input_files", frames + "/*.png",
                "output_file", video.toString(), "fps", 23.976);

        assertThat(MediaFakes.argv(ffmpeg)).containsExactly("-r", "23.976", "-pattern_type", "glob", "-i",
                frames + "/*.png", "-c:v", "h264", "-crf", "20", "-g", "18", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2",
                "-pix_fmt", "yuv420p", "-y", "-bf", "0", video.toString());
        assertThat(video).isNotEmptyFile();
        assertThat(reporter.progress()).containsExactly(25, 50, 75, 99);
        assertThat(reporter.log()).anyMatch(l -> l.matches("pid=\\d+ > frame=\\s+2 fps=.*"));
    }

    @Test
    void createVideo_onWindowsFeedsTheIndexAndDeletesItAfterwards() throws Exception {
        Path ffmpeg = fakeFfmpeg();

        run(new CreateVideoCommand("", true), ffmpeg, "input_files", frames + "/*.png",
                "output_file", dir.resolve("video.mkv").toString(), "fps", 24);

        assertThat(MediaFakes.argv(ffmpeg)).startsWith("-r", "24", "-f", "concat", "-i",
                frames.resolve("ffmpeg-input.txt").toString());
        assertThat(frames.resolve("ffmpeg-input.txt")).doesNotExist();
    }

    @Test
    void createVideo_missingOutput_fails() throws Exception {
        Path ffmpeg = fakeFfmpeg("FAKE_FFMPEG_NO_OUTPUT=1");
        Path video = dir.resolve("video.mkv");

        assertThatThrownBy(() -> run(new CreateVideoCommand("", false), ffmpeg, "input_files", frames + "/*.png",
                "output_file", video.toString(), "fps", 24))
                .isInstanceOf(CommandFailedException.class)
                .hasMessage("FFmpeg finished but " + video + " is missing or empty");
    }

    @Test
    void createVideo_ffmpegFailure_isTheSubprocessFailure() throws Exception {
        Path ffmpeg = fakeFfmpeg("FAKE_FFMPEG_EXIT=1");

        assertThatThrownBy(() -> run(new CreateVideoCommand("", false), ffmpeg, "input_files", frames + "/*.png",
                "output_file", dir.resolve("video.mkv").toString(), "fps", 24))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageMatching("Command .* \\(pid=\\d+\\) failed with status 1");
    }

    @Test
    void concatenateVideos_writesIndexForFfmpegAndDeletesItAfterSuccess() throws Exception {
        Path ffmpeg = fakeFfmpeg();
        Path parts = Files.createDirectories(dir.resolve("parts"));
        Files.writeString(parts.resolve("b.mkv"), "b");
        Files.writeString(parts.resolve("a.mkv"), "a");
        Path merged = dir.resolve("merged.mkv");

        run(new ConcatenateVideosCommand(""), ffmpeg, "input_files", parts + "/*.mkv",
                "output_file", merged.toString());

        assertThat(MediaFakes.argv(ffmpeg)).containsExactly("-f", "concat", "-i",
                parts.resolve("ffmpeg-input.txt").toString(), "-c", "copy", "-y", merged.toString());
        assertThat(parts.resolve("ffmpeg-input.txt")).doesNotExist();
        assertThat(merged).isNotEmptyFile();
    }

    @Test
    void pidFileOfARunningProcess_failsValidation() throws Exception {
        Path ffmpeg = fakeFfmpeg();
        Files.writeString(dir.resolve("audio.flac"), "f");
        Path pidFile = Files.writeString(dir.resolve("subprocess.pid"), Long.toString(ProcessHandle.current().pid()));
        CommandEnvironment guarded = TestEnvironments.in(dir, Duration.ofSeconds(1), Duration.ZERO,
                new PidFileGuard(pidFile, new SystemClock()));
        Map<String, Object> m = Map.of("ffmpeg_cmd", ffmpeg.toString(), "input_file", "audio.flac",
                "output_file", "audio.aac", "bitrate", "192k", "codec", "aac");

        assertThatThrownBy(() -> new EncodeAudioCommand("").prepare(new Settings(m), guarded))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("Subprocess from " + pidFile + " is still running");
    }

    @Test
    void muxAudio_runsWithAbsolutePaths() throws Exception {
        Path ffmpeg = fakeFfmpeg();
        Files.writeString(dir.resolve("audio.aac"), "a");
        Files.writeString(dir.resolve("video.mkv"), "v");

        run(new MuxAudioCommand(""), ffmpeg, "audio_file", "audio.aac", "video_file", "video.mkv",
                "output_file", "muxed.mkv");

        assertThat(MediaFakes.argv(ffmpeg)).containsExactly("-i", dir.resolve("audio.aac").toString(), "-i",
                dir.resolve("video.mkv").toString(), "-c", "copy", "-y", dir.resolve("muxed.mkv").toString());
        assertThat(dir.resolve("muxed.mkv")).isNotEmptyFile();
    }

    @Test
    void encodeAudio_runsWithCodecAndBitrate() throws Exception {
        Path ffmpeg = fakeFfmpeg();
        Files.writeString(dir.resolve("audio.flac"), "f");

        run(new EncodeAudioCommand(""), ffmpeg, "input_file", "audio.flac", "output_file", "audio.aac",
                "bitrate", "192k", "codec", "aac");

        assertThat(MediaFakes.argv(ffmpeg)).containsExactly("-i", dir.resolve("audio.flac").toString(), "-c:a",
                "aac", "-b:a", "192k", "-y", dir.resolve("audio.aac").toString());
    }

    @Test
    void ffmpegCommands_registersTheirWireNames() {
        assertThat(FfmpegCommands.v2("")).extracting(Command::name).containsExactly("create_video",
                "concatenate_videos", "mux_audio", "encode_audio");
        assertThat(FfmpegCommands.v3("")).extracting(Command::name).containsExactly("frames-to-video");
    }
}
