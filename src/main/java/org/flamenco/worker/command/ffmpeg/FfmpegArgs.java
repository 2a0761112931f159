package org.flamenco.worker.command.ffmpeg;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The FFmpeg argument lists of commands.md §3.18–§3.21, as pure functions of the settings records. */
public final class FfmpegArgs {
    private FfmpegArgs() {
    }

    /**
     * §3.18.
     *
     * @param concatIndex the index file with forward slashes, used instead of a glob (on Windows)
     */
    public static List<String> createVideo(CreateVideoSettings s, Optional<String> concatIndex) {
        List<String> args = new ArrayList<>(s.ffmpegWords());
        args.addAll(List.of("-r", s.fps()));
        if (concatIndex.isPresent()) {
            args.addAll(List.of("-f", "concat", "-i", concatIndex.get()));
        } else {
            args.addAll(List.of("-pattern_type", "glob", "-i", forwardSlashes(s.inputFiles())));
        }
        args.addAll(List.of("-c:v", "h264", "-crf", "20", "-g", "18", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2",
                "-pix_fmt", "yuv420p", "-y", "-bf", "0", s.outputFile()));
        return List.copyOf(args);
    }

    /** §3.19, {@code indexFile} with forward slashes. */
    public static List<String> concatenate(ConcatenateSettings s, String indexFile) {
        List<String> args = new ArrayList<>(s.ffmpegWords());
        args.addAll(List.of("-f", "concat", "-i", indexFile, "-c", "copy", "-y", forwardSlashes(s.outputFile())));
        return List.copyOf(args);
    }

    /** §3.20. */
    public static List<String> muxAudio(MuxAudioSettings s) {
        List<String> args = new ArrayList<>(s.ffmpegWords());
        args.addAll(List.of("-i", s.audioFile().toString(), "-i", s.videoFile().toString(), "-c", "copy", "-y",
                s.outputFile().toString()));
        return List.copyOf(args);
    }

    /** §3.21. */
    public static List<String> encodeAudio(EncodeAudioSettings s) {
        List<String> args = new ArrayList<>(s.ffmpegWords());
        args.addAll(List.of("-i", s.inputFile().toString(), "-c:a", s.codec(), "-b:a", s.bitrate(), "-y",
                s.outputFile().toString()));
        return List.copyOf(args);
    }

    static String forwardSlashes(String path) {
        return path.replace('\\', '/');
    }
}
