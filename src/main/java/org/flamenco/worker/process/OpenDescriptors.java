package org.flamenco.worker.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The worker's open file descriptors, from {@code /proc/self/fd} (Linux) or {@code /dev/fd} (macOS, BSD). */
final class OpenDescriptors {
    private OpenDescriptors() {
    }

    static List<Integer> list() throws IOException {
        Path dir = Files.isDirectory(Path.of("/proc/self/fd")) ? Path.of("/proc/self/fd") : Path.of("/dev/fd");
        List<Integer> fds = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.matches("[0-9]{1,9}")) {
                    fds.add(Integer.parseInt(name));
                }
            }
        }
        return fds;
    }
}
