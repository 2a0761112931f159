package org.flamenco.worker.command.blender;

import java.util.Objects;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/** {@code blender_render_progressive} (commands.md §3.13): a render limited to a range of Cycles chunks. */
public final class BlenderRenderProgressiveCommand implements Command {
    public static final String NAME = "blender_render_progressive";

    private final String searchPath;

    public BlenderRenderProgressiveCommand(String searchPath) {
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment env) throws InvalidSettingException {
        ProgressiveSettings s = BlenderRenderCommand.readers(env, searchPath).progressive(settings);
        env.checkPidFile();
        return ctx -> BlenderExecution.run(ctx, "Starting Blender",
                BlenderArgs.progressive(s, BlenderExecution.overrideScript(ctx, s.render().filepath())),
                s.render().frames(), !s.render().renderOutput().isEmpty());
    }
}
