package org.flamenco.worker.command.misc;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/** {@code echo} (commands.md §3.1): writes {@code message} to the task log as it is. */
public final class EchoCommand implements Command {
    public static final String NAME = "echo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        if (!settings.containsKey("message")) {
            throw new InvalidSettingException("Missing \"message\"");
        }
        if (!(settings.raw("message") instanceof String message)) {
            throw new InvalidSettingException("Message must be a string");
        }
        return context -> context.reporter().log(message);
    }
}
