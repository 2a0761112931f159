package org.flamenco.worker.command.ffmpeg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PythonText;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.command.ShellWords;
import org.flamenco.worker.command.ShellWordsException;
import org.flamenco.worker.command.blender.ExecutableSearch;

/**
 * Parses the FFmpeg commands' settings (commands.md §3.18–§3.21, §5): {@code ffmpeg_cmd} first, then the command's
 * own settings. Thread-safe.
 */
public final class FfmpegSettingsReader {
    private final Path workingDirectory;
    private final ExecutableSearch executables;

    public FfmpegSettingsReader(Path workingDirectory, ExecutableSearch executables) {
        this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
        this.executables = Objects.requireNonNull(executables, "executables");
    }

    /** §3.18. */
    public CreateVideoSettings createVideo(Settings s) throws InvalidSettingException {
        List<String> words = ffmpegCmd(s);
        String input = s.requireString("input_files");
        String output = s.requireString("output_file");
        s.requireNumber("fps");
        return new CreateVideoSettings(words, input, output, PythonText.number((Number) s.raw("fps")));
    }

    /** §3.19. */
    public ConcatenateSettings concatenate(Settings s) throws InvalidSettingException {
        List<String> words = ffmpegCmd(s);
        return new ConcatenateSettings(words, s.requireString("input_files"), s.requireString("output_file"));
    }

    /** §3.20. */
    public MuxAudioSettings muxAudio(Settings s) throws InvalidSettingException {
        List<String> words = ffmpegCmd(s);
        Path audio = existing(s.requireString("audio_file"), "Audio file");
        Path video = existing(s.requireString("video_file"), "Video file");
        Path output = absolute(s.requireString("output_file"));
        return new MuxAudioSettings(words, audio, video, output);
    }

    /** §3.21. */
    public EncodeAudioSettings encodeAudio(Settings s) throws InvalidSettingException {
        List<String> words = ffmpegCmd(s);
        Path input = existing(s.requireString("input_file"), "Audio file");
        Path output = absolute(s.requireString("output_file"));
        return new EncodeAudioSettings(words, input, output, s.requireString("bitrate"), s.requireString("codec"));
    }

    /** {@code ffmpeg_cmd} (default {@code ffmpeg}): split into words, the first an executable on PATH or a file. */
    List<String> ffmpegCmd(Settings s) throws InvalidSettingException {
        String cmd = s.optString("ffmpeg_cmd", "ffmpeg");
        List<String> words = words(cmd);
        if (words.isEmpty() || executables.find(words.get(0), true).isEmpty()) {
            throw new InvalidSettingException("FFmpeg command " + PythonText.repr(cmd) + " not found on $PATH");
        }
        return words;
    }

    private Path existing(String value, String label) throws InvalidSettingException {
        Path p = absolute(value);
        if (!Files.exists(p)) {
            throw new InvalidSettingException(label + " " + value + " does not exist");
        }
        return p;
    }

    private Path absolute(String value) throws InvalidSettingException {
        try {
            return workingDirectory.resolve(value).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new InvalidSettingException("Invalid path " + PythonText.repr(value));
        }
    }

    private static List<String> words(String cmd) throws InvalidSettingException {
        try {
            return ShellWords.split(cmd);
        } catch (ShellWordsException e) {
            throw new InvalidSettingException("\"ffmpeg_cmd\" cannot be split into words: " + e.getMessage());
        }
    }
}
