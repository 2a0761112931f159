package org.flamenco.worker.command.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/** {@code copy_file} (commands.md §3.7): copies bytes and permission bits; announces {@code dest}. */
public final class CopyFileCommand implements Command {
    public static final String NAME = "copy_file";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        String srcText = FileSettings.nonEmpty(settings, "src", "src may not be empty");
        String destText = FileSettings.nonEmpty(settings, "dest", "dest may not be empty");
        Path src = environment.resolve(srcText);
        Path dest = environment.resolve(destText);
        return context -> {
            if (!Files.exists(src)) {
                throw new CommandFailedException("Path " + srcText + " does not exist, unable to copy");
            }
            context.log("Copying " + srcText + " to " + destText);
            try {
                Directories.create(context, dest.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new CommandFailedException("Unable to create directory for " + destText + ": " + e, e);
            }
            if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                context.log("Destination " + destText + " exists, going to delete it first.");
                try {
                    Files.delete(dest);
                } catch (IOException e) {
                    throw new CommandFailedException("Error unlinking destination " + destText + ": " + e, e);
                }
            }
            try {
                Files.copy(src, dest);
            } catch (IOException e) {
                throw new CommandFailedException("Error copying " + srcText + " to " + destText + ": " + e, e);
            }
            try {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(src);
                Files.setPosixFilePermissions(dest, mode);
            } catch (IOException | UnsupportedOperationException e) {
                context.log("Unable to copy file mode from " + srcText + " to " + destText + ": " + e);
            }
            context.reporter().outputProduced(dest);
        };
    }
}
