package org.flamenco.worker.command.misc;

import java.util.List;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.command.ShellWords;
import org.flamenco.worker.command.ShellWordsException;

/** {@code exec} (commands.md §3.4): splits {@code cmd} into words and runs it as a subprocess; status 0 succeeds. */
public final class ExecCommand implements Command {
    public static final String NAME = "exec";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        if (!settings.containsKey("cmd")) {
            throw new InvalidSettingException("Missing \"cmd\"");
        }
        if (!(settings.raw("cmd") instanceof String cmd)) {
            throw new InvalidSettingException("\"cmd\" must be a string");
        }
        if (cmd.isEmpty()) {
            throw new InvalidSettingException("\"cmd\" may not be empty");
        }
        List<String> argv;
        try {
            argv = ShellWords.split(cmd);
        } catch (ShellWordsException e) {
            throw new InvalidSettingException("\"cmd\" cannot be split into words: " + e.getMessage());
        }
        if (argv.isEmpty()) {
            throw new InvalidSettingException("\"cmd\" contains no words");
        }
        environment.checkPidFile();
        return context -> context.runSubprocess(argv);
    }
}
