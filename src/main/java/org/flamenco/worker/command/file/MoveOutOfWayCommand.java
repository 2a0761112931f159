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

/** {@code move_out_of_way} (commands.md §3.5): renames {@code src} to a timestamped sibling. */
public final class MoveOutOfWayCommand implements Command {
    public static final String NAME = "move_out_of_way";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        if (!settings.containsKey("src")) {
            throw new InvalidSettingException("Missing \"src\"");
        }
        if (!(settings.raw("src") instanceof String srcText)) {
            throw new InvalidSettingException("src must be a string");
        }
        Path src = environment.resolve(srcText);
        return context -> {
            if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
                context.log("Render output path " + srcText + " does not exist, not moving out of way");
                return;
            }
            try {
                Path dst = PathNames.timestamped(src, ZoneId.systemDefault());
                if (Files.exists(dst, LinkOption.NOFOLLOW_LINKS)) {
                    dst = PathNames.unique(dst);
                }
                context.log("Moving " + srcText + " to " + shown(srcText, src, dst));
                Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new CommandFailedException("Unable to move " + srcText + " out of the way: " + e, e);
            }
        };
    }

    /** {@code dst} written relative when {@code src} was given relative. */
    static String shown(String given, Path resolvedSrc, Path dst) {
        Path givenPath = Path.of(given);
        return givenPath.isAbsolute() ? dst.toString() : givenPath.resolveSibling(dst.getFileName()).toString();
    }
}
