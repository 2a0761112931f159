package org.flamenco.worker.command.misc;

import java.util.List;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandRegistry;
import org.flamenco.worker.command.file.CopyFileCommand;
import org.flamenco.worker.command.file.CopyFileV3Command;
import org.flamenco.worker.command.file.CreatePythonFileCommand;
import org.flamenco.worker.command.file.MakeDirectoryCommand;
import org.flamenco.worker.command.file.MoveDirectoryCommand;
import org.flamenco.worker.command.file.MoveOutOfWayCommand;
import org.flamenco.worker.command.file.MoveToFinalCommand;
import org.flamenco.worker.command.file.MoveWithCounterCommand;
import org.flamenco.worker.command.file.RemoveFileCommand;
import org.flamenco.worker.command.file.RemoveTreeCommand;

/** The core commands of commands.md §3.1–§3.11, for {@link CommandRegistry} (Blender and FFmpeg are separate). */
public final class CoreCommands {
    private CoreCommands() {
    }

    /** A fresh instance of each core command. */
    public static List<Command> all() {
        return List.of(new EchoCommand(), new LogALotCommand(), new SleepCommand(), new ExecCommand(),
                new MoveOutOfWayCommand(), new MoveToFinalCommand(), new CopyFileCommand(), new RemoveTreeCommand(),
                new RemoveFileCommand(), new MoveWithCounterCommand(), new CreatePythonFileCommand());
    }

    /**
     * The Flamenco 3 commands without Blender or FFmpeg (commands.md §7), registered instead of {@link #all()} in v3
     * mode: {@code echo}, {@code sleep}, {@code exec}, {@code move-directory}, {@code copy-file},
     * {@code make-directory}.
     */
    public static List<Command> v3() {
        return List.of(new EchoV3Command(), new SleepV3Command(), new ExecV3Command(), new MoveDirectoryCommand(),
                new CopyFileV3Command(), new MakeDirectoryCommand());
    }
}
