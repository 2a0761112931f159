package org.flamenco.worker.command.blender;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandContext;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/**
 * {@code merge_progressive_render_sequence} (commands.md §3.17): the weighted merge of two EXR sequences, rendered
 * by Blender straight to the output pattern; every merged frame is announced and counted.
 */
public final class MergeProgressiveRenderSequenceCommand implements Command {
    public static final String NAME = "merge_progressive_render_sequence";

    private final String searchPath;

    public MergeProgressiveRenderSequenceCommand(String searchPath) {
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment env) throws InvalidSettingException {
        MergeSequenceSettings s = BlenderRenderCommand.readers(env, searchPath).mergeSequence(settings);
        env.checkPidFile();
        return ctx -> execute(ctx, s);
    }

    private static void execute(CommandContext ctx, MergeSequenceSettings s)
            throws CommandFailedException, InterruptedException {
        Path output = ctx.environment().resolve(s.merge().output()).toAbsolutePath();
        MergeFiles.createDirectory(ctx, output.getParent());
        BlenderExecution.run(ctx, "Starting Blender to merge EXR sequence",
                BlenderArgs.merge(s.merge().blenderWords(), BlenderScripts.mergeSequence(s)), "", false);
        List<Path> frames;
        try {
            frames = MergeFiles.matchingFrames(output);
        } catch (IOException e) {
            throw new CommandFailedException("Unable to list the merged frames in " + output.getParent() + ": " + e,
                    e);
        }
        frames.forEach(ctx.reporter()::outputProduced);
        if (frames.size() < s.frameCount()) {
            throw new CommandFailedException("Blender produced " + frames.size() + " of " + s.frameCount()
                    + " merged frames");
        }
    }
}
