package org.flamenco.worker.command.ffmpeg;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** {@code mux_audio} (commands.md §3.20); paths absolute against the working directory. */
public record MuxAudioSettings(List<String> ffmpegWords, Path audioFile, Path videoFile, Path outputFile) {
    public MuxAudioSettings {
        ffmpegWords = List.copyOf(ffmpegWords);
        Objects.requireNonNull(audioFile, "audioFile");
        Objects.requireNonNull(videoFile, "videoFile");
        Objects.requireNonNull(outputFile, "outputFile");
    }
}
