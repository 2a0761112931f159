package org.flamenco.worker.command.ffmpeg;

import java.util.List;
import java.util.Objects;

/** {@code concatenate_videos} (commands.md §3.19). */
public record ConcatenateSettings(List<String> ffmpegWords, String inputFiles, String outputFile) {
    public ConcatenateSettings {
        ffmpegWords = List.copyOf(ffmpegWords);
        Objects.requireNonNull(inputFiles, "inputFiles");
        Objects.requireNonNull(outputFile, "outputFile");
    }
}
