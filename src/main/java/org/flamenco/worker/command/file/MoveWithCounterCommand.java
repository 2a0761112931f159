package org.flamenco.worker.command.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/**
 * {@code move_with_counter} (commands.md §3.10): moves {@code src} to the next free numbered name near {@code dest}.
 */
public final class MoveWithCounterCommand implements Command {
    public static final String NAME = "move_with_counter";
    private static final Pattern NUMBERED = Pattern.compile("^([0-9_]+)(.*)$");

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
            if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
                throw new CommandFailedException("Path " + srcText + " does not exist, unable to move");
            }
            try {
                Path target = target(dest);
                context.log("Moving " + srcText + " to " + target);
                Directories.create(context, target.getParent());
                Files.move(src, target, StandardCopyOption.REPLACE_EXISTING);
                context.reporter().outputProduced(target);
            } catch (IOException e) {
                throw new CommandFailedException("Unable to move " + srcText + " to " + destText + ": " + e, e);
            }
        };
    }

    static Path target(Path dest) throws IOException {
        String name = dest.getFileName().toString();
        Matcher m = NUMBERED.matcher(name);
        String prefix;
        String suffix;
        if (m.matches()) {
            prefix = m.group(1) + "_";
            suffix = m.group(2);
        } else {
            int dot = name.lastIndexOf('.');
            boolean hasExt = dot > 0; // a leading dot is a hidden file, not an extension (as Python's splitext)
            prefix = (hasExt ? name.substring(0, dot) : name) + "_";
            suffix = hasExt ? name.substring(dot) : "";
        }
        return PathNames.numbered(PathNames.parentOf(dest), prefix, suffix);
    }
}
