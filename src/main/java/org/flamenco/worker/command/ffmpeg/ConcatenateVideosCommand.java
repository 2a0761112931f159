package org.flamenco.worker.command.ffmpeg;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/** {@code concatenate_videos} (commands.md §3.19): joins videos without re-encoding, through a concat index. */
public final class ConcatenateVideosCommand implements Command {
    public static final String NAME = "concatenate_videos";

    private final String searchPath;

    public ConcatenateVideosCommand(String searchPath) {
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment env) throws InvalidSettingException {
        ConcatenateSettings s = CreateVideoCommand.reader(env, searchPath).concatenate(settings);
        env.checkPidFile();
        return ctx -> {
            Path index = FfmpegExecution.writeIndex(ctx, s.inputFiles());
            FfmpegExecution.run(ctx, FfmpegArgs.concatenate(s, index.toString().replace('\\', '/')),
                    ctx::logOutputLine, ctx.environment().resolve(s.outputFile()), Optional.of(index));
        };
    }
}
