package org.flamenco.worker.command.ffmpeg;

import java.util.List;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.blender.BlenderRenderAudioCommand;
import org.flamenco.worker.command.blender.BlenderRenderCommand;
import org.flamenco.worker.command.blender.BlenderRenderProgressiveCommand;
import org.flamenco.worker.command.blender.BlenderRenderV3Command;
import org.flamenco.worker.command.blender.ExrSequenceToJpegCommand;
import org.flamenco.worker.command.blender.HelperScripts;
import org.flamenco.worker.command.blender.MergeProgressiveRenderSequenceCommand;
import org.flamenco.worker.command.blender.MergeProgressiveRendersCommand;

/** The Blender and FFmpeg commands (commands.md §3.12–§3.21, §7), for the {@code CommandRegistry}. */
public final class MediaCommands {
    private MediaCommands() {
    }

    /**
     * @param helperScripts the worker's helper-script directory (owned and closed by the composition root)
     * @param searchPath    the {@code PATH} in which bare {@code blender_cmd} / {@code ffmpeg_cmd} words are found
     */
    public static List<Command> all(HelperScripts helperScripts, String searchPath) {
        return List.of(
                new BlenderRenderCommand(searchPath),
                new BlenderRenderProgressiveCommand(searchPath),
                new BlenderRenderAudioCommand(searchPath),
                new ExrSequenceToJpegCommand(searchPath, helperScripts),
                new MergeProgressiveRendersCommand(searchPath),
                new MergeProgressiveRenderSequenceCommand(searchPath),
                new CreateVideoCommand(searchPath),
                new ConcatenateVideosCommand(searchPath),
                new MuxAudioCommand(searchPath),
                new EncodeAudioCommand(searchPath));
    }

    /** The Flamenco 3 counterparts (commands.md §7), registered instead in v3 mode. */
    public static List<Command> v3(String searchPath) {
        return List.of(new BlenderRenderV3Command(searchPath), new FramesToVideoCommand(searchPath));
    }
}
