package org.flamenco.worker.command.blender;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.PythonText;
import org.flamenco.worker.command.Settings;

/**
 * Flamenco 3's {@code blender-render} (commands.md §7), backed by the {@code blender_render} execution: argv =
 * {@code exe}, the words of {@code exeArgs}, {@code argsBefore}, {@code blendfile} (omitted when empty), {@code args};
 * output through the Blender line processor, {@code Saved:} files announced and verified.
 */
public final class BlenderRenderV3Command implements Command {
    public static final String NAME = "blender-render";

    private final String searchPath;

    public BlenderRenderV3Command(String searchPath) {
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment env) throws InvalidSettingException {
        List<String> argv = argv(settings, new ExecutableSearch(env.workingDirectory(), searchPath));
        env.checkPidFile();
        return ctx -> BlenderExecution.run(ctx, "Starting Blender", argv, "", false);
    }

    /** The argument list of §7, validated in the order exe, exeArgs, argsBefore, blendfile, args. */
    static List<String> argv(Settings s, ExecutableSearch executables) throws InvalidSettingException {
        String exe = s.requireString("exe");
        if (executables.find(exe, false).isEmpty()) {
            throw new InvalidSettingException("\"exe\" " + PythonText.repr(exe) + " does not exist");
        }
        List<String> argv = new ArrayList<>();
        argv.add(exe);
        argv.addAll(V3Arguments.exeArgs(s));
        argv.addAll(V3Arguments.list(s, "argsBefore"));
        String blendfile = s.requireString("blendfile");
        if (!blendfile.isEmpty()) {
            argv.add(blendfile);
        }
        argv.addAll(V3Arguments.list(s, "args"));
        return List.copyOf(argv);
    }
}
