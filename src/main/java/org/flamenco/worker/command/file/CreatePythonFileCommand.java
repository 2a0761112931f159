package org.flamenco.worker.command.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/** {@code create_python_file} (commands.md §3.11): writes a {@code .py} file, e.g. a render override script. */
public final class CreatePythonFileCommand implements Command {
    public static final String NAME = "create_python_file";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        String text = FileSettings.nonEmpty(settings, "filepath", "filepath may not be empty");
        if (!text.endsWith(".py")) {
            throw new InvalidSettingException("filepath must end in .py");
        }
        String contents = settings.requireString("contents");
        Path path = environment.resolve(text);
        return context -> {
            try {
                Directories.create(context, path.toAbsolutePath().getParent());
                context.log((Files.exists(path) ? "Overwriting" : "Creating") + " Python file " + text);
                context.log("contents:\n" + contents);
                Files.writeString(path, contents, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CommandFailedException("Unable to write " + text + ": " + e, e);
            }
        };
    }
}
