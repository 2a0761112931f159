package org.flamenco.worker.command.ffmpeg;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** {@code encode_audio} (commands.md §3.21); paths absolute against the working directory. */
public record EncodeAudioSettings(List<String> ffmpegWords, Path inputFile, Path outputFile, String bitrate,
                                  String codec) {
    public EncodeAudioSettings {
        ffmpegWords = List.copyOf(ffmpegWords);
        Objects.requireNonNull(inputFile, "inputFile");
        Objects.requireNonNull(outputFile, "outputFile");
        Objects.requireNonNull(bitrate, "bitrate");
        Objects.requireNonNull(codec, "codec");
    }
}
