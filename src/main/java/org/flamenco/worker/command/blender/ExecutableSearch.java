package org.flamenco.worker.command.blender;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    private final List<String> suffixes;

    /**
     * @param workingDirectory the worker's working directory, for relative words
     * @param searchPath       the {@code PATH} value to search (entries separated by {@link File#pathSeparator})
     */
    public ExecutableSearch(Path workingDirectory, String searchPath) {
        this(workingDirectory, searchPath, suffixes(System.getProperty("os.name", ""),
                Objects.requireNonNullElse(System.getenv("PATHEXT"), "")));
    }

    /**
     * @param suffixes tried in order after the bare word when it has no suffix of its own ({@code .exe} on Windows)
     */
    public ExecutableSearch(Path workingDirectory, String searchPath, List<String> suffixes) {
        this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
        this.suffixes = List.copyOf(suffixes);
    }

    /**
     * The executable suffixes of the OS {@code osName}: on Windows those of {@code pathext} ({@code PATHEXT}, e.g.
     * {@code .COM;.EXE;.BAT}) in lower case, {@code .exe} first, or {@code .exe, .bat, .cmd, .com} when it is empty;
     * none elsewhere.
     */
    public static List<String> suffixes(String osName, String pathext) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("windows")) {
            return List.of();
        }
        List<String> found = new ArrayList<>(List.of(".exe"));
        for (String s : pathext.split(";")) {
            String suffix = s.strip().toLowerCase(Locale.ROOT);
            if (suffix.startsWith(".") && suffix.length() > 1 && !found.contains(suffix)) {
                found.add(suffix);
            }
        }
        return found.size() > 1 ? found : List.of(".exe", ".bat", ".cmd", ".com");
    }

    /** The file the word names, when it exists (and is executable when {@code mustBeExecutable}). */
    public Optional<Path> find(String word, boolean mustBeExecutable) {
        if (word.isEmpty()) {
            return Optional.empty();
        }
        for (String name : candidates(word)) {
            Path direct = workingDirectory.resolve(name);
            if (usable(direct, mustBeExecutable)) {
                return Optional.of(direct);
            }
        }
        if (word.contains("/") || word.contains(File.separator)) {
            return Optional.empty();
        }
        for (String dir : searchPath.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String name : candidates(word)) {
                Path candidate = Path.of(dir).resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The word itself, then with each suffix unless it already ends with one. */
    private List<String> candidates(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        if (suffixes.isEmpty() || suffixes.stream().anyMatch(lower::endsWith)) {
            return List.of(word);
        }
        List<String> names = new ArrayList<>(List.of(word));
        suffixes.forEach(suffix -> names.add(word + suffix));
        return names;
    }

    private static boolean usable(Path p, boolean mustBeExecutable) {
        return mustBeExecutable ? Files.isRegularFile(p) && Files.isExecutable(p) : Files.exists(p);
    }
}
