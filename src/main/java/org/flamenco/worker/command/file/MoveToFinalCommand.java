package org.flamenco.worker.command.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneId;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/** {@code move_to_final} (commands.md §3.6): moves an existing {@code dest} aside, then {@code src} to it. */
public final class MoveToFinalCommand implements Command {
    public static final String NAME = "move_to_final";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        String srcText = settings.requireString("src");
        String destText = settings.requireString("dest");
        Path src = environment.resolve(srcText);
        Path dest = environment.resolve(destText);
        return context -> {
            if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
                context.log("Path " + srcText + " does not exist, not moving");
                return;
            }
            try {
                if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                    Path backup = PathNames.timestamped(dest, ZoneId.systemDefault());
                    if (Files.exists(backup, LinkOption.NOFOLLOW_LINKS)) {
                        backup = PathNames.unique(backup);
                    }
                    context.log("Moving " + destText + " to " + MoveOutOfWayCommand.shown(destText, dest, backup));
                    Files.move(dest, backup, StandardCopyOption.ATOMIC_MOVE);
                }
                context.log("Moving " + srcText + " to " + destText);
                Files.move(src, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new CommandFailedException("Unable to move " + srcText + " to " + destText + ": " + e, e);
            }
        };
    }
}
