package org.flamenco.worker.command.ffmpeg;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code create_video}'s optional progress (commands.md §3.18): {@code frame=\s*(\d+)} in FFmpeg's output over the
 * number of input files. Not thread-safe: used by one output-reader thread.
 */
final class FfmpegProgress {
    private static final Pattern FRAME = Pattern.compile("frame=\\s*(\\d+)");

    private final int inputCount;
    private int reported;

    FfmpegProgress(int inputCount) {
        this.inputCount = inputCount;
    }

    /** A new, higher percentage (at most 99 until the command finishes), or empty. */
    OptionalInt percentage(String line) {
        if (inputCount <= 0) {
            return OptionalInt.empty();
        }
        Matcher m = FRAME.matcher(line);
        if (!m.find()) {
            return OptionalInt.empty();
        }
        long frame;
        try {
            frame = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
        int pct = (int) Math.min(99, frame * 100 / inputCount);
        if (pct <= reported) {
            return OptionalInt.empty();
        }
        reported = pct;
        return OptionalInt.of(pct);
    }
}
