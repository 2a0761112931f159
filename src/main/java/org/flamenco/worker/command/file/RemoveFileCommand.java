package org.flamenco.worker.command.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/** {@code remove_file} (commands.md §3.9): deletes one file, refuses directories. */
public final class RemoveFileCommand implements Command {
    public static final String NAME = "remove_file";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        String text = FileSettings.nonEmpty(settings, "path", "Parameter 'path' cannot be empty.");
        Path path = environment.resolve(text);
        return context -> {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                context.reporter().log("Path " + text + " does not exist, so not removing.");
                return;
            }
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new CommandFailedException("Path " + text
                        + " is a directory. Cannot remove with this command; use remove_tree instead.");
            }
            context.reporter().log("Removing file " + text);
            try {
                Files.delete(path);
            } catch (IOException e) {
                throw new CommandFailedException("Unable to remove " + text + ": " + e, e);
            }
        };
    }
}
