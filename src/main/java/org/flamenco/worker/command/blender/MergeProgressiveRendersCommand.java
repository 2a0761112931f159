package org.flamenco.worker.command.blender;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandContext;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/**
 * {@code merge_progressive_renders} (commands.md §3.16): a weighted average of two EXR files, computed by Blender's
 * compositor from a generated script, written through a temporary directory next to the output.
 */
public final class MergeProgressiveRendersCommand implements Command {
    public static final String NAME = "merge_progressive_renders";

    private final String searchPath;

    public MergeProgressiveRendersCommand(String searchPath) {
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment env) throws InvalidSettingException {
        MergeSettings s = BlenderRenderCommand.readers(env, searchPath).merge(settings);
        env.checkPidFile();
        return ctx -> execute(ctx, s);
    }

    private static void execute(CommandContext ctx, MergeSettings s)
            throws CommandFailedException, InterruptedException {
        Path output = ctx.environment().resolve(s.output()).toAbsolutePath();
        MergeFiles.createDirectory(ctx, output.getParent());
        Path tempDir;
        try {
            tempDir = Files.createTempDirectory(output.getParent(), "merge-");
        } catch (IOException e) {
            throw new CommandFailedException("Unable to create a temporary directory in " + output.getParent()
                    + ": " + e, e);
        }
        try {
            String script = BlenderScripts.mergeFiles(s, tempDir.toString().replace('\\', '/'));
            BlenderExecution.run(ctx, "Starting Blender to merge EXR files", BlenderArgs.merge(s.blenderWords(),
                    script), "", false);
            Path merged = tempDir.resolve("merged0001.exr");
            if (!Files.isRegularFile(merged)) {
                throw new CommandFailedException("Blender did not produce " + merged);
            }
            ctx.reporter().log("Moving " + merged + " to " + output);
            move(merged, output);
        } finally {
            MergeFiles.deleteTree(tempDir);
        }
        ctx.reporter().outputProduced(output);
    }

    private static void move(Path from, Path to) throws CommandFailedException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CommandFailedException("Unable to move " + from + " to " + to + ": " + e, e);
        }
    }
}
