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

/**
 * Flamenco 3's {@code copy-file} (commands.md §7): copies the regular file {@code src} to {@code dest} (both
 * absolute), creating {@code dest}'s directory; refuses an existing {@code dest}; the mode is not copied.
 */
public final class CopyFileV3Command implements Command {
    public static final String NAME = "copy-file";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        String srcText = V3FileParameters.absolutePath(settings, "src");
        String destText = V3FileParameters.absolutePath(settings, "dest");
        Path src = Path.of(srcText);
        Path dest = Path.of(destText);
        return context -> {
            if (!Files.exists(src)) {
                throw new CommandFailedException("Source file " + srcText + " does not exist, unable to copy");
            }
            if (!Files.isRegularFile(src)) {
                throw new CommandFailedException("Source " + srcText + " is not a regular file, unable to copy");
            }
            if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                throw new CommandFailedException("Destination " + destText + " already exists, not overwriting it");
            }
            context.log("Copying " + srcText + " to " + destText);
            try {
                Directories.create(context, dest.getParent());
                Files.copy(src, dest);
            } catch (IOException e) {
                throw new CommandFailedException("Error copying " + srcText + " to " + destText + ": " + e, e);
            }
        };
    }
}
