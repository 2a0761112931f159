package org.flamenco.worker.command.ffmpeg;

import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/** {@code encode_audio} (commands.md §3.21): re-encodes an audio file with the given codec and bitrate. */
public final class EncodeAudioCommand implements Command {
    public static final String NAME = "encode_audio";

    private final String searchPath;

    public EncodeAudioCommand(String searchPath) {
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment env) throws InvalidSettingException {
        EncodeAudioSettings s = CreateVideoCommand.reader(env, searchPath).encodeAudio(settings);
        env.checkPidFile();
        return ctx -> FfmpegExecution.run(ctx, FfmpegArgs.encodeAudio(s), ctx::logOutputLine, s.outputFile(),
                Optional.empty());
    }
}
