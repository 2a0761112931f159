package org.flamenco.worker.command.file;

import java.util.List;

import org.flamenco.worker.command.Command;

/** The file commands, for the {@code CommandRegistry}: v2 (commands.md §3.5–§3.11) or v3 (§7). */
public final class FileCommands {
    private FileCommands() {
    }

    /**
     * {@code move_out_of_way}, {@code move_to_final}, {@code copy_file}, {@code remove_tree}, {@code remove_file},
     * {@code move_with_counter}, {@code create_python_file}.
     */
    public static List<Command> v2() {
        return List.of(new MoveOutOfWayCommand(), new MoveToFinalCommand(), new CopyFileCommand(),
                new RemoveTreeCommand(), new RemoveFileCommand(), new MoveWithCounterCommand(),
                new CreatePythonFileCommand());
    }

    /**
     * The Flamenco 3 file commands, registered instead in v3 mode: {@code move-directory}, {@code copy-file},
     * {@code make-directory}.
     */
    public static List<Command> v3() {
        return List.of(new MoveDirectoryCommand(), new CopyFileV3Command(), new MakeDirectoryCommand());
    }
}
