package org.flamenco.worker.command.blender;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.flamenco.worker.command.CommandContext;
import org.flamenco.worker.command.CommandFailedException;

/** File handling of the merge commands (commands.md §1.4, §3.16, §3.17). */
final class MergeFiles {
    private MergeFiles() {
    }

    /** "Create the directory" of §1.4, with its task-log line when it did not exist. */
    static void createDirectory(CommandContext ctx, Path dir) throws CommandFailedException, InterruptedException {
        if (Files.isDirectory(dir)) {
            return;
        }
        ctx.log("Directory " + dir + " does not exist; creating.");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CommandFailedException("Unable to create directory " + dir + ": " + e, e);
        }
    }

    /** Deletes {@code dir} and everything below it; best effort (a leftover temp dir only wastes space). */
    static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // Nothing more to do; the directory is inside the render output and visible to the wrangler.
        }
    }

    /** hashes-to-glob (§1.4): every {@code #} run in the file-name part becomes {@code *}. */
    static String hashesToGlob(String fileName) {
        return fileName.replaceAll("#+", "*");
    }

    /** Files in {@code pattern}'s directory matching hashes-to-glob of its file name, sorted by name. */
    static List<Path> matchingFrames(Path pattern) throws IOException {
        Path dir = pattern.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        PathMatcher matcher = dir.getFileSystem().getPathMatcher(
                "glob:" + hashesToGlob(pattern.getFileName().toString()));
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isRegularFile(p) && matcher.matches(p.getFileName())) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return List.copyOf(out);
    }
}
