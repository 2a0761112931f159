package org.flamenco.worker.command.file;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/**
 * Flamenco 3's {@code make-directory} (commands.md §7): creates {@code path} with its parents (mode 0775 before
 * the umask, where the file system has POSIX modes); an existing directory is fine, an existing file is an error.
 */
public final class MakeDirectoryCommand implements Command {
    public static final String NAME = "make-directory";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        String text = V3FileParameters.path(settings, "path");
        Path dir = environment.resolve(text);
        return context -> {
            if (Files.isDirectory(dir)) {
                context.log("Directory " + text + " already exists");
                return;
            }
            try {
                Files.createDirectories(dir, modes());
            } catch (IOException e) {
                throw new CommandFailedException("Unable to create directory " + text + ": " + e, e);
            }
            context.log("Created directory " + text);
        };
    }

    private static FileAttribute<?>[] modes() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxrwxr-x"))};
    }
}
