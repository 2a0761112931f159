package org.flamenco.worker.command.ffmpeg;

import java.util.List;

import org.flamenco.worker.command.Command;

/** The FFmpeg commands, for the {@code CommandRegistry}: v2 (commands.md §3.18–§3.21) or v3 (§7). */
public final class FfmpegCommands {
    private FfmpegCommands() {
    }

    /** @param searchPath the {@code PATH} in which a bare {@code ffmpeg_cmd} word is found */
    public static List<Command> v2(String searchPath) {
        return List.of(
                new CreateVideoCommand(searchPath),
                new ConcatenateVideosCommand(searchPath),
                new MuxAudioCommand(searchPath),
                new EncodeAudioCommand(searchPath));
    }

    /** The Flamenco 3 counterpart, registered instead in v3 mode: {@code frames-to-video}. */
    public static List<Command> v3(String searchPath) {
        return List.of(new FramesToVideoCommand(searchPath));
    }
}
