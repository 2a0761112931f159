package org.flamenco.worker.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * The probes of the pre-task check (worker-behaviour.md §10), shared by the worker, which runs them before each task,
 * and {@code doctor}, which runs them once: access is proved by doing what the task will do (list or read; create a
 * file, or open an existing one for appending), because permission bits alone do not tell (read-only mounts, ACLs,
 * root). Nothing is left behind and an existing file is never modified. Each probe blocks for as long as the storage
 * does; callers put their own time limit around it.
 */
public final class PathProbe {
    /** The three bytes of ♥, what the worker writes into a probe file (worker-behaviour.md §10). */
    private static final byte[] HEART = "\u2665".getBytes(StandardCharsets.UTF_8);

    private PathProbe() {
    }

    /** Empty when {@code p} can be read (a directory listed, a file's first byte read), else why not. */
    public static Optional<String> read(Path p) {
        if (WindowsPaths.containsWindowsPath(p)) {
            return Optional.of(p + " " + WindowsPaths.PROBLEM);
        }
        try {
            if (Files.isDirectory(p)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    ds.iterator().hasNext();
                }
            } else if (Files.exists(p)) {
                try (InputStream in = Files.newInputStream(p)) {
                    in.read();
                }
            } else {
                return Optional.of(p + " does not exist");
            }
            return Optional.empty();
        } catch (AccessDeniedException e) {
            return Optional.of(p + " is not readable");
        } catch (IOException | RuntimeException e) {
            return Optional.of(p + " is not readable (" + e.getMessage() + ")");
        }
    }

    /**
     * Empty when {@code p} can be written: a file created in it (a directory), opened for appending and closed
     * unwritten (an existing file), or created and removed again (a path that does not exist yet); else why not.
     */
    public static Optional<String> write(Path p) {
        if (WindowsPaths.containsWindowsPath(p)) {
            return Optional.of(p + " " + WindowsPaths.PROBLEM);
        }
        if (Files.isDirectory(p)) {
            return createIn(p).map(why -> p + " is not writable");
        }
        try {
            if (Files.exists(p)) {
                // Open for appending and close without writing: the file stays exactly as it was.
                Files.newOutputStream(p, StandardOpenOption.APPEND).close();
            } else {
                try {
                    Files.write(p, HEART, StandardOpenOption.CREATE_NEW);
                } finally {
                    Files.deleteIfExists(p);
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of(p + " is not writable");
        }
    }

    /**
     * Empty when a uniquely named hidden file could be created, written and removed in {@code dir}, else the
     * exception that said no (its class and message, without the path).
     */
    public static Optional<String> createIn(Path dir) {
        Path probe = dir.resolve(".flamenco-worker-check-" + UUID.randomUUID());
        try {
            Files.write(probe, HEART, StandardOpenOption.CREATE_NEW);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                // nothing was created, or it stays visible to the user as a leftover probe file
            }
        }
    }
}
