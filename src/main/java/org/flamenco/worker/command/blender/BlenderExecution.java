package org.flamenco.worker.command.blender;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.flamenco.worker.command.CommandContext;
import org.flamenco.worker.command.CommandFailedException;

/**
 * Runs Blender for a command (commands.md §3.12 execution): the start activity, the timing checkpoints, the line
 * processor of §4.3 (whose trouble markers are appended to a failure), then the output verification of §4.4.
 */
final class BlenderExecution {
    private BlenderExecution() {
    }

    /**
     * @param renderOutputSet whether {@code render_output} was given (enables the frame count check)
     * @param frames          the {@code frames} setting, if any
     * @return the processor, for callers that check more output
     */
    static BlenderLineProcessor run(CommandContext ctx, String startActivity, List<String> argv, String frames,
                                    boolean renderOutputSet) throws CommandFailedException, InterruptedException {
        Optional<FrameList> frameList = FrameList.parse(frames);
        ctx.reporter().activity(startActivity);
        Checkpoints checkpoints = new Checkpoints(ctx.clock(), ctx.reporter());
        checkpoints.start("starting blender");
        BlenderLineProcessor processor = new BlenderLineProcessor(ctx.reporter(), ctx.clock(), checkpoints, frameList);
        try {
            ctx.runSubprocess(argv, (pid, line) -> {
                processor.accept(line);
                ctx.logOutputLine(pid, line);
            });
        } catch (CommandFailedException e) {
            throw new CommandFailedException(e.getMessage() + processor.failureSuffix(), e);
        } finally {
            checkpoints.close();
        }
        Optional<String> problem = BlenderOutputCheck.verify(processor, ctx.workingDirectory(), renderOutputSet,
                frameList);
        if (problem.isPresent()) {
            throw new CommandFailedException(problem.get());
        }
        return processor;
    }

    /**
     * The override file of §4.2 with forward slashes, when it exists; logs that it was found and its text.
     */
    static Optional<String> overrideScript(CommandContext ctx, String filepath) throws InterruptedException {
        String override = BlenderArgs.overridePath(filepath);
        Path path = ctx.environment().resolve(override);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        ctx.reporter().log("Override file found in " + override);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "<unreadable: " + e.getMessage() + ">";
        }
        ctx.reporter().log("Override file contains:\n" + text);
        return Optional.of(override.replace('\\', '/'));
    }
}
