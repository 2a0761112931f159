package org.flamenco.worker.command.ffmpeg;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandContext;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.command.blender.ExecutableSearch;

/**
 * {@code create_video} (commands.md §3.18): an H.264 video from an image sequence, with progress from FFmpeg's
 * {@code frame=} counter over the number of input files.
 */
public final class CreateVideoCommand implements Command {
    public static final String NAME = "create_video";

    private final String searchPath;
    private final boolean windows;

    public CreateVideoCommand(String searchPath) {
        this(searchPath, File.separatorChar == '\\');
    }

    /** @param windows whether to feed FFmpeg a concat index instead of a glob (FFmpeg on Windows has no glob) */
    CreateVideoCommand(String searchPath, boolean windows) {
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
        this.windows = windows;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment env) throws InvalidSettingException {
        CreateVideoSettings s = reader(env, searchPath).createVideo(settings);
        env.checkPidFile();
        return ctx -> execute(ctx, s);
    }

    private void execute(CommandContext ctx, CreateVideoSettings s)
            throws CommandFailedException, InterruptedException {
        Optional<Path> index = windows ? Optional.of(FfmpegExecution.writeIndex(ctx, s.inputFiles()))
                : Optional.empty();
        FfmpegProgress progress = new FfmpegProgress(inputCount(ctx, s.inputFiles()));
        FfmpegExecution.run(ctx,
                FfmpegArgs.createVideo(s, index.map(p -> p.toString().replace('\\', '/'))),
                (pid, line) -> {
                    ctx.logOutputLine(pid, line);
                    var pct = progress.percentage(line);
                    if (pct.isPresent()) {
                        ctx.reporter().commandProgress(pct.getAsInt());
                    }
                },
                ctx.environment().resolve(s.outputFile()), index);
    }

    private static int inputCount(CommandContext ctx, String glob) {
        try {
            return ConcatIndex.matchingFiles(glob, ctx.workingDirectory()).size();
        } catch (IOException e) {
            return 0;
        }
    }

    static FfmpegSettingsReader reader(CommandEnvironment env, String searchPath) {
        return new FfmpegSettingsReader(env.workingDirectory(),
                new ExecutableSearch(env.workingDirectory(), searchPath));
    }
}
