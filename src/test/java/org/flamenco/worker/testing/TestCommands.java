package org.flamenco.worker.testing;

import java.util.ArrayList;
import java.util.List;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.blender.BlenderCommands;
import org.flamenco.worker.command.blender.HelperScripts;
import org.flamenco.worker.command.ffmpeg.FfmpegCommands;
import org.flamenco.worker.command.file.FileCommands;
import org.flamenco.worker.command.misc.MiscCommands;

/** The command sets the task runner's tests register, put together as the composition root does. */
public final class TestCommands {
    private TestCommands() {
    }

    /** The v2 commands that need no external program: misc and file. */
    public static List<Command> v2WithoutMedia() {
        List<Command> commands = new ArrayList<>(MiscCommands.v2());
        commands.addAll(FileCommands.v2());
        return commands;
    }

    /** Every v2 command. */
    public static List<Command> v2(HelperScripts helpers, String searchPath) {
        List<Command> commands = v2WithoutMedia();
        commands.addAll(BlenderCommands.v2(helpers, searchPath));
        commands.addAll(FfmpegCommands.v2(searchPath));
        return commands;
    }

    /** Every v3 command. */
    public static List<Command> v3(String searchPath) {
        List<Command> commands = new ArrayList<>(MiscCommands.v3());
        commands.addAll(FileCommands.v3());
        commands.addAll(BlenderCommands.v3(searchPath));
        commands.addAll(FfmpegCommands.v3(searchPath));
        return commands;
    }
}
