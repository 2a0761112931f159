package org.flamenco.worker.command.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.command.blender.ExecutableSearch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages and argument lists of commands.md §3.18–§3.21 and §5. */
class FfmpegSettingsReaderTest {
    @TempDir
    Path dir;
    private Path bin;
    private FfmpegSettingsReader reader;

    @BeforeEach
    void setUp() throws IOException {
        bin = Files.createDirectories(dir.resolve("bin"));
        Path ffmpeg = Files.writeString(bin.resolve("ffmpeg"), "#!/bin/sh\n");
        ffmpeg.toFile().setExecutable(true);
        reader = new FfmpegSettingsReader(dir, new ExecutableSearch(dir, bin.toString()));
    }

    private static Settings settings(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new Settings(m);
    }

    @Test
    void ffmpegCmd_defaultsToFfmpegOnPath() throws Exception {
        CreateVideoSettings s = reader.createVideo(settings("input_files", "/tmp/*.png", "output_file",
                "/tmp/merged.mkv", "fps", 24));

        assertThat(FfmpegArgs.createVideo(s, Optional.empty())).containsExactly("ffmpeg", "-r", "24",
                "-pattern_type", "glob", "-i", "/tmp/*.png", "-c:v", "h264", "-crf", "20", "-g", "18", "-vf",
                "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-pix_fmt", "yuv420p", "-y", "-bf", "0", "/tmp/merged.mkv");
    }

    @Test
    void ffmpegCmd_notFound() {
        reader = new FfmpegSettingsReader(dir, new ExecutableSearch(dir, ""));

        assertThatThrownBy(() -> reader.concatenate(settings("input_files", "/x/*.mkv", "output_file", "/o.mkv")))
                .isInstanceOf(InvalidSettingException.class).hasMessage("FFmpeg command 'ffmpeg' not found on $PATH");
    }

    @Test
    void ffmpegCmd_notFoundNamesTheWholeCommand() {
        assertThatThrownBy(() -> reader.concatenate(settings("ffmpeg_cmd", "/opt/ffmpeg -hide_banner",
                "input_files", "/x/*.mkv", "output_file", "/o.mkv")))
                .hasMessage("FFmpeg command '/opt/ffmpeg -hide_banner' not found on $PATH");
    }

    @Test
    void ffmpegCmd_mustBeExecutable() throws Exception {
        Path plain = Files.writeString(dir.resolve("not-exec"), "x");

        assertThatThrownBy(() -> reader.concatenate(settings("ffmpeg_cmd", plain.toString(),
                "input_files", "/x/*.mkv", "output_file", "/o.mkv")))
                .hasMessage("FFmpeg command '" + plain + "' not found on $PATH");
    }

    @Test
    void ffmpegCmd_ofWrongType() {
        assertThatThrownBy(() -> reader.concatenate(settings("ffmpeg_cmd", List.of("ffmpeg"))))
                .hasMessage("\"ffmpeg_cmd\" must be a string, not an array");
    }

    @Test
    void ffmpegCmd_checkedBeforeOtherSettings() {
        assertThatThrownBy(() -> reader.createVideo(settings("ffmpeg_cmd", "'unclosed")))
                .hasMessage("\"ffmpeg_cmd\" cannot be split into words: No closing quotation");
    }

    @Test
    void createVideo_requiredSettings() {
        assertThatThrownBy(() -> reader.createVideo(settings("output_file", "/o.mkv", "fps", 24)))
                .hasMessage("Missing \"input_files\"");
        assertThatThrownBy(() -> reader.createVideo(settings("input_files", "/x/*.png", "fps", 24)))
                .hasMessage("Missing \"output_file\"");
        assertThatThrownBy(() -> reader.createVideo(settings("input_files", "/x/*.png", "output_file", "/o.mkv",
                "fps", "24"))).hasMessage("\"fps\" must be a number, not a string");
    }

    @Test
    void createVideo_fpsIsWrittenLikePython() throws Exception {
        for (Object[] c : new Object[][] {{24, "24"}, {23.976, "23.976"}, {24.0, "24.0"}}) {
            CreateVideoSettings s = reader.createVideo(settings("input_files", "/x/*.png", "output_file", "/o.mkv",
                    "fps", c[0]));

            assertThat(s.fps()).isEqualTo(c[1]);
        }
    }

    @Test
    void createVideo_onWindowsUsesTheConcatIndex() throws Exception {
        CreateVideoSettings s = reader.createVideo(settings("input_files", "C:\\frames\\*.png", "output_file",
                "C:\\out.mkv", "fps", 24));

        assertThat(FfmpegArgs.createVideo(s, Optional.of("C:/frames/ffmpeg-input.txt")))
                .containsSequence("-r", "24", "-f", "concat", "-i", "C:/frames/ffmpeg-input.txt", "-c:v", "h264")
                .endsWith("C:\\out.mkv");
    }

    @Test
    void concatenate_arguments() throws Exception {
        ConcatenateSettings s = reader.concatenate(settings("input_files", "/f/*.mkv", "output_file",
                "/tmp/merged.mkv"));

        assertThat(FfmpegArgs.concatenate(s, "/f/ffmpeg-input.txt")).containsExactly("ffmpeg", "-f", "concat",
                "-i", "/f/ffmpeg-input.txt", "-c", "copy", "-y", "/tmp/merged.mkv");
    }

    @Test
    void muxAudio_inputsMustExist() throws Exception {
        Path video = Files.writeString(dir.resolve("video.mkv"), "v");
        Path audio = Files.writeString(dir.resolve("audio.aac"), "a");

        assertThatThrownBy(() -> reader.muxAudio(settings("audio_file", "nope.aac", "video_file", video.toString(),
                "output_file", "o.mkv"))).hasMessage("Audio file nope.aac does not exist");
        assertThatThrownBy(() -> reader.muxAudio(settings("audio_file", audio.toString(), "video_file", "nope.mkv",
                "output_file", "o.mkv"))).hasMessage("Video file nope.mkv does not exist");
    }

    @Test
    void muxAudio_argumentsAreAbsoluteAgainstTheWorkingDirectory() throws Exception {
        Files.writeString(dir.resolve("video.mkv"), "v");
        Files.writeString(dir.resolve("audio.aac"), "a");

        MuxAudioSettings s = reader.muxAudio(settings("audio_file", "audio.aac", "video_file", "video.mkv",
                "output_file", "out/muxed.mkv"));

        assertThat(FfmpegArgs.muxAudio(s)).containsExactly("ffmpeg", "-i", dir.resolve("audio.aac").toString(),
                "-i", dir.resolve("video.mkv").toString(), "-c", "copy", "-y",
                dir.resolve("out/muxed.mkv").toString());
    }

    @Test
    void encodeAudio_arguments() throws Exception {
        Files.writeString(dir.resolve("audio.flac"), "f");
        Path python = Files.writeString(bin.resolve("python-fake"), "#!/bin/sh\n");
        python.toFile().setExecutable(true);

        EncodeAudioSettings s = reader.encodeAudio(settings("ffmpeg_cmd", python + " -hide_banner",
                "input_file", "audio.flac", "output_file", "audio.aac", "bitrate", "192k", "codec", "aac"));

        assertThat(FfmpegArgs.encodeAudio(s)).containsExactly(python.toString(), "-hide_banner", "-i",
                dir.resolve("audio.flac").toString(), "-c:a", "aac", "-b:a", "192k", "-y",
                dir.resolve("audio.aac").toString());
    }

    @Test
    void encodeAudio_inputMustExist_andCodecIsRequired() throws Exception {
        Files.writeString(dir.resolve("audio.flac"), "f");

        assertThatThrownBy(() -> reader.encodeAudio(settings("input_file", "gone.flac", "output_file", "a.aac",
                "bitrate", "192k", "codec", "aac"))).hasMessage("Audio file gone.flac does not exist");
        assertThatThrownBy(() -> reader.encodeAudio(settings("input_file", "audio.flac", "output_file", "a.aac",
                "bitrate", "192k"))).hasMessage("Missing \"codec\"");
    }
}
