package org.flamenco.worker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The light check of {@code manager_ca_file}: readable, and holds at least one PEM certificate block. */
final class PemFiles {
    private PemFiles() {
    }

    static boolean isReadablePem(Path file) {
        try {
            return Files.isRegularFile(file)
                    && new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                            .contains("-----BEGIN CERTIFICATE-----");
        } catch (IOException e) {
            return false;
        }
    }
}
