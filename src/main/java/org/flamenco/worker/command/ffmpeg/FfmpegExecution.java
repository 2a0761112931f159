package org.flamenco.worker.command.ffmpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.flamenco.worker.command.CommandContext;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.LineProcessor;

/** Runs FFmpeg for a command and checks its output (commands.md §5). */
final class FfmpegExecution {
    private FfmpegExecution() {
    }

    /**
     * Runs {@code argv}; afterwards {@code output} must be a non-empty file, and the index file (if any) is
     * deleted.
     */
    static void run(CommandContext ctx, List<String> argv, LineProcessor processor, Path output,
                    Optional<Path> indexFile) throws CommandFailedException, InterruptedException {
        ctx.runSubprocess(argv, processor);
        if (!nonEmptyFile(output)) {
            throw new CommandFailedException("FFmpeg finished but " + output + " is missing or empty");
        }
        if (indexFile.isPresent()) {
            try {
                Files.deleteIfExists(indexFile.get());
            } catch (IOException e) {
                ctx.log("unable to unlink file " + indexFile.get() + ", ignoring");
            }
        }
    }

    /** Writes the concat index for {@code glob}; a failure fails the command. */
    static Path writeIndex(CommandContext ctx, String glob) throws CommandFailedException {
        try {
            return ConcatIndex.write(glob, ctx.workingDirectory());
        } catch (IOException e) {
            throw new CommandFailedException("Unable to write the FFmpeg index file for " + glob + ": " + e, e);
        }
    }

    private static boolean nonEmptyFile(Path p) {
        try {
            return Files.isRegularFile(p) && Files.size(p) > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
