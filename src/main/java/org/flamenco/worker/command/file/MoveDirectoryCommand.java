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

/**
 * Flamenco 3's {@code move-directory} (commands.md §7), the counterpart of {@code move_to_final}: an existing
 * {@code dest} is first renamed to {@code <dest>-<mtime YYYY-MM-DD_HHMMSS>} (further collisions get {@code -NNN}),
 * then {@code src} is renamed to {@code dest}. A missing {@code src} fails the command.
 */
public final class MoveDirectoryCommand implements Command {
    public static final String NAME = "move-directory";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        String srcText = V3FileParameters.path(settings, "src");
        String destText = V3FileParameters.path(settings, "dest");
        Path src = environment.resolve(srcText);
        Path dest = environment.resolve(destText);
        return context -> {
            if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
                throw new CommandFailedException("Source " + srcText + " does not exist, unable to move it");
            }
            try {
                if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                    Path aside = numbered(PathNames.timestamped(dest, ZoneId.systemDefault()));
                    context.log("Moving existing " + destText + " out of the way to " + aside);
                    Files.move(dest, aside, StandardCopyOption.ATOMIC_MOVE);
                }
                context.log("Moving " + srcText + " to " + destText);
                Files.move(src, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new CommandFailedException("Unable to move " + srcText + " to " + destText + ": " + e, e);
            }
        };
    }

    /** {@code p} when free, else the first free {@code p-001}, {@code p-002}, … */
    static Path numbered(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return p;
        }
        for (int i = 1; i <= 999; i++) {
            Path candidate = p.resolveSibling(p.getFileName() + String.format("-%03d", i));
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
        throw new IOException("no free name beside " + p + " (tried -001 to -999)");
    }
}
