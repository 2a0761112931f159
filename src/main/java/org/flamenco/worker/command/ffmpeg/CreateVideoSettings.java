package org.flamenco.worker.command.ffmpeg;

import java.util.List;
import java.util.Objects;

/**
 * {@code create_video} (commands.md §3.18).
 *
 * @param fps the frame rate formatted as Python's {@code str()} writes it ({@code 24}, {@code 23.976})
 */
public record CreateVideoSettings(List<String> ffmpegWords, String inputFiles, String outputFile, String fps) {
    public CreateVideoSettings {
        ffmpegWords = List.copyOf(ffmpegWords);
        Objects.requireNonNull(inputFiles, "inputFiles");
        Objects.requireNonNull(outputFile, "outputFile");
        Objects.requireNonNull(fps, "fps");
    }
}
