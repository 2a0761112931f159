package org.flamenco.worker.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@code ./flamenco-worker.cfg} with a {@code [flamenco-worker]} section in a test directory, and its loader. */
final class WorkerSectionFile {
    private final Path main;
    private final ConfigLoader loader;

    WorkerSectionFile(Path dir) {
        try {
            Path work = Files.createDirectories(dir.resolve("work"));
            this.main = work.resolve("flamenco-worker.cfg");
            this.loader = new ConfigLoader(work, Files.createDirectories(dir.resolve("home")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file, as error messages name it. */
    Path path() {
        return main;
    }

    /** Writes {@code [flamenco-worker]} and {@code lines}, then loads the layered configuration. */
    WorkerConfig load(String... lines) throws ConfigException {
        String[] all = new String[lines.length + 1];
        all[0] = "[flamenco-worker]";
        System.arraycopy(lines, 0, all, 1, lines.length);
        ConfigFiles.write(main, all);
        return loader.load().config();
    }
}
