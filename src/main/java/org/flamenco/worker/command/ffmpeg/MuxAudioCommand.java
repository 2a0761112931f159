package org.flamenco.worker.command.ffmpeg;

import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/** {@code mux_audio} (commands.md §3.20): puts an audio track into a video without re-encoding. */
public final class MuxAudioCommand implements Command {
    public static final String NAME = "mux_audio";

    private final String searchPath;

    public MuxAudioCommand(String searchPath) {
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment env) throws InvalidSettingException {
        MuxAudioSettings s = CreateVideoCommand.reader(env, searchPath).muxAudio(settings);
        env.checkPidFile();
        return ctx -> FfmpegExecution.run(ctx, FfmpegArgs.muxAudio(s), ctx::logOutputLine, s.outputFile(),
                Optional.empty());
    }
}
