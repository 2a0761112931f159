package org.flamenco.worker.command.misc;

import java.util.ArrayList;
import java.util.List;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.command.blender.V3Arguments;

/**
 * Flamenco 3's {@code exec} (commands.md §7): runs {@code exe} with the list {@code args} (no word splitting;
 * numbers written without {@code .0}) through the same subprocess control as the v2 {@code exec}; status 0
 * succeeds.
 */
public final class ExecV3Command implements Command {
    public static final String NAME = "exec";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        if (!settings.containsKey("exe")) {
            throw new InvalidSettingException("Missing \"exe\" (the program to run, e.g. \"/usr/bin/convert\")");
        }
        String exe = settings.requireString("exe");
        if (exe.isEmpty()) {
            throw new InvalidSettingException("\"exe\" may not be empty (the program to run)");
        }
        List<String> argv = new ArrayList<>();
        argv.add(exe);
        argv.addAll(V3Arguments.list(settings, "args"));
        environment.checkPidFile();
        List<String> command = List.copyOf(argv);
        return context -> context.runSubprocess(command);
    }
}
