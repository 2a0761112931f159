package org.flamenco.worker.command.blender;

import java.nio.file.Files;
import java.util.Objects;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/** {@code exr_sequence_to_jpeg} (commands.md §3.15): JPEG previews of an EXR sequence, by the shipped helper. */
public final class ExrSequenceToJpegCommand implements Command {
    public static final String NAME = "exr_sequence_to_jpeg";

    private final String searchPath;
    private final HelperScripts helperScripts;

    public ExrSequenceToJpegCommand(String searchPath, HelperScripts helperScripts) {
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
        this.helperScripts = Objects.requireNonNull(helperScripts, "helperScripts");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment env) throws InvalidSettingException {
        ExrToJpegSettings s = BlenderRenderCommand.readers(env, searchPath).exrToJpeg(settings);
        if (!Files.isRegularFile(helperScripts.exrSequenceToJpeg())) {
            throw new InvalidSettingException("Helper script " + helperScripts.exrSequenceToJpeg() + " is missing");
        }
        env.checkPidFile();
        String helper = helperScripts.exrSequenceToJpeg().toString().replace('\\', '/');
        return ctx -> BlenderExecution.run(ctx, "Starting Blender",
                BlenderArgs.exrToJpeg(s, BlenderExecution.overrideScript(ctx, s.render().filepath()), helper),
                s.render().frames(), !s.render().renderOutput().isEmpty());
    }
}
