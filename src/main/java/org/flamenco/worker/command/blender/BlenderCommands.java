package org.flamenco.worker.command.blender;

import java.util.List;

import org.flamenco.worker.command.Command;

/** The Blender commands, for the {@code CommandRegistry}: v2 (commands.md §3.12–§3.17) or v3 (§7). */
public final class BlenderCommands {
    private BlenderCommands() {
    }

    /**
     * @param helperScripts the worker's helper-script directory (owned and closed by the composition root)
     * @param searchPath    the {@code PATH} in which a bare {@code blender_cmd} word is found
     */
    public static List<Command> v2(HelperScripts helperScripts, String searchPath) {
        return List.of(
                new BlenderRenderCommand(searchPath),
                new BlenderRenderProgressiveCommand(searchPath),
                new BlenderRenderAudioCommand(searchPath),
                new ExrSequenceToJpegCommand(searchPath, helperScripts),
                new MergeProgressiveRendersCommand(searchPath),
                new MergeProgressiveRenderSequenceCommand(searchPath));
    }

    /** The Flamenco 3 counterpart, registered instead in v3 mode: {@code blender-render}. */
    public static List<Command> v3(String searchPath) {
        return List.of(new BlenderRenderV3Command(searchPath));
    }
}
