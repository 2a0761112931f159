package org.flamenco.worker.command.ffmpeg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The FFmpeg concat index file (commands.md §5): {@code ffmpeg-input.txt} in the directory of the input glob (FFmpeg
 * refuses "unsafe" paths elsewhere), one {@code file '<name>'} line per matching file, sorted by name.
 */
final class ConcatIndex {
    static final String FILE_NAME = "ffmpeg-input.txt";

    private ConcatIndex() {
    }

    /** The absolute directory of the glob's file-name part. */
    static Path globDirectory(String glob, Path workingDirectory) {
        Path parent = Path.of(glob).getParent();
        Path dir = parent == null ? workingDirectory : workingDirectory.resolve(parent);
        return dir.toAbsolutePath().normalize();
    }

    /** The files in the glob's directory whose names match its file-name pattern, sorted by name. */
    static List<Path> matchingFiles(String glob, Path workingDirectory) throws IOException {
        Path dir = globDirectory(glob, workingDirectory);
        Path namePart = Path.of(glob).getFileName();
        if (namePart == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        PathMatcher matcher = dir.getFileSystem().getPathMatcher("glob:" + namePart);
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (p.getFileName().toString().equals(FILE_NAME) || !Files.isRegularFile(p)) {
                    continue;
                }
                if (matcher.matches(p.getFileName())) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return List.copyOf(out);
    }

    /** Writes the index for {@code glob} and returns its absolute path. */
    static Path write(String glob, Path workingDirectory) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path p : matchingFiles(glob, workingDirectory)) {
            text.append("file '").append(p.getFileName().toString().replace("'", "\\'")).append("'\n");
        }
        Path index = globDirectory(glob, workingDirectory).resolve(FILE_NAME);
        Files.writeString(index, text, StandardCharsets.UTF_8);
        return index;
    }
}
