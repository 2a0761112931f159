package org.flamenco.worker.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Proves write access the way the worker will use it: create a uniquely named hidden file, write to it, delete it.
 * Permission bits alone do not tell (read-only mounts, ACLs, root).
 */
final class WritableProbe {
    /** The three bytes of ♥, as the worker's pre-task check writes (worker-behaviour.md §10). */
    static final byte[] HEART = "\u2665".getBytes(StandardCharsets.UTF_8);

    private WritableProbe() {
    }

    /** Empty when a file could be created in {@code dir}, else the reason. */
    static Optional<String> directory(Path dir) {
        Path probe = dir.resolve(".flamenco-worker-doctor-" + UUID.randomUUID());
        try {
            Files.write(probe, HEART, StandardOpenOption.CREATE_NEW);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                // nothing was created, or it will be visible to the user as a leftover probe file
            }
        }
    }
}
