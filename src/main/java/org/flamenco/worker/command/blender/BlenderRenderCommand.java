package org.flamenco.worker.command.blender;

import java.util.Objects;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/** {@code blender_render} (commands.md §3.12): renders frames of a blend file. Stateless, thread-safe. */
public final class BlenderRenderCommand implements Command {
    public static final String NAME = "blender_render";

    private final String searchPath;

    /** @param searchPath the {@code PATH} used to find a bare {@code blender_cmd} */
    public BlenderRenderCommand(String searchPath) {
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment env) throws InvalidSettingException {
        BlenderRenderSettings s = readers(env, searchPath).render(settings);
        env.checkPidFile();
        return ctx -> BlenderExecution.run(ctx, "Starting Blender",
                BlenderArgs.render(s, BlenderExecution.overrideScript(ctx, s.filepath())), s.frames(),
                !s.renderOutput().isEmpty());
    }

    static BlenderSettingsReader readers(CommandEnvironment env, String searchPath) {
        return new BlenderSettingsReader(env.workingDirectory(), new ExecutableSearch(env.workingDirectory(),
                searchPath), env.clock());
    }
}
