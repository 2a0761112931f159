package org.flamenco.worker.command.blender;

import java.util.Objects;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/** {@code blender_render_audio} (commands.md §3.14): mixes the blend file's audio down to a FLAC file. */
public final class BlenderRenderAudioCommand implements Command {
    public static final String NAME = "blender_render_audio";

    private final String searchPath;

    public BlenderRenderAudioCommand(String searchPath) {
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment env) throws InvalidSettingException {
        AudioSettings s = BlenderRenderCommand.readers(env, searchPath).audio(settings);
        env.checkPidFile();
        return ctx -> {
            BlenderExecution.run(ctx, "Starting Blender", BlenderArgs.audio(s), "", false);
            String output = s.render().renderOutput();
            if (!BlenderOutputCheck.nonEmptyFile(ctx.environment().resolve(output))) {
                throw new CommandFailedException("Blender finished but " + output + " is missing or empty");
            }
        };
    }
}
