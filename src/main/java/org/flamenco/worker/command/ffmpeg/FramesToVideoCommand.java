package org.flamenco.worker.command.ffmpeg;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.PythonText;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.command.blender.ExecutableSearch;
import org.flamenco.worker.command.blender.V3Arguments;

/**
 * Flamenco 3's {@code frames-to-video} (commands.md §7), the counterpart of {@code create_video}: argv
 * {@code exe, exeArgs…, argsBefore…, -r FPS, -pattern_type glob -i <glob>, args…, -r FPS, <output>}. The Windows
 * concat-index variant is not implemented: the glob form is used everywhere.
 */
public final class FramesToVideoCommand implements Command {
    public static final String NAME = "frames-to-video";

    private final String searchPath;

    public FramesToVideoCommand(String searchPath) {
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment env) throws InvalidSettingException {
        List<String> argv = argv(settings, new ExecutableSearch(env.workingDirectory(), searchPath));
        String output = settings.requireString("outputFile");
        env.checkPidFile();
        return ctx -> FfmpegExecution.run(ctx, argv, ctx::logOutputLine, ctx.environment().resolve(output),
                Optional.empty());
    }

    static List<String> argv(Settings s, ExecutableSearch executables) throws InvalidSettingException {
        String exe = s.requireString("exe");
        if (executables.find(exe, true).isEmpty()) {
            throw new InvalidSettingException("FFmpeg command " + PythonText.repr(exe) + " not found on $PATH");
        }
        List<String> argv = new ArrayList<>();
        argv.add(exe);
        argv.addAll(V3Arguments.exeArgs(s));
        double fps = s.requireNumber("fps");
        if (fps == 0) {
            throw new InvalidSettingException("\"fps\" must not be zero");
        }
        String fpsText = V3Arguments.number((Number) s.raw("fps"));
        String glob = s.requireString("inputGlob");
        String output = s.requireString("outputFile");
        argv.addAll(V3Arguments.list(s, "argsBefore"));
        argv.addAll(List.of("-r", fpsText, "-pattern_type", "glob", "-i", glob.replace('\\', '/')));
        argv.addAll(V3Arguments.list(s, "args"));
        argv.addAll(List.of("-r", fpsText, output));
        return List.copyOf(argv);
    }
}
