package org.flamenco.worker.command.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.flamenco.worker.command.CommandContext;

/** "Create the directory" of commands.md §1.4, with its task-log line. */
final class Directories {
    private Directories() {
    }

    static void create(CommandContext context, Path dir) throws IOException, InterruptedException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        context.log("Directory " + dir + " does not exist; creating.");
        Files.createDirectories(dir);
    }
}
