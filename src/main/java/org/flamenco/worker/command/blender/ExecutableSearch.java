package org.flamenco.worker.command.blender;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the program named by the first word of {@code blender_cmd} / {@code ffmpeg_cmd} (commands.md §3.12, §5):
 * a word with a directory part is a path against the working directory; a bare word is a file in the working
 * directory or an entry of {@code PATH}. Immutable, thread-safe.
 */
public final class ExecutableSearch {
    private final Path workingDirectory;
    private final String searchPath;

    /**
     * @param workingDirectory the worker's working directory, for relative words
     * @param searchPath       the {@code PATH} value to search (entries separated by {@link File#pathSeparator})
     */
    public ExecutableSearch(Path workingDirectory, String searchPath) {
        this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
    }

    /** The file the word names, when it exists (and is executable when {@code mustBeExecutable}). */
    public Optional<Path> find(String word, boolean mustBeExecutable) {
        if (word.isEmpty()) {
            return Optional.empty();
        }
        Path direct = workingDirectory.resolve(word);
        if (usable(direct, mustBeExecutable)) {
            return Optional.of(direct);
        }
        if (word.contains("/") || word.contains(File.separator)) {
            return Optional.empty();
        }
        for (String dir : searchPath.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir).resolve(word);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean usable(Path p, boolean mustBeExecutable) {
        return mustBeExecutable ? Files.isRegularFile(p) && Files.isExecutable(p) : Files.exists(p);
    }
}
