package org.flamenco.worker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The demo's output directory: every run starts from a fresh one, so its summary counts only its own files. A
 * directory left by an earlier demo (its worker config carries the demo's marker line) is cleared with a notice;
 * anything else in the way is a usage error, so the demo never deletes files it did not write.
 */
final class DemoOutput {
    /** What a demo run writes into the output directory. */
    private static final List<String> OWN = List.of("frames", "worker", "second-worker", "scene");

    private DemoOutput() {
    }

    static void prepare(Path dir, String marker, CommandLine commandLine, PrintWriter out) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ParameterException(commandLine, "--output " + dir + " is a file; expected a directory");
        }
        List<Path> present = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> children = Files.list(dir)) {
                children.filter(c -> OWN.contains(c.getFileName().toString())
                        || c.getFileName().toString().startsWith("frames-")).sorted().forEach(present::add);
            }
        }
        if (present.isEmpty()) {
            return;
        }
        if (!writtenByTheDemo(dir.resolve("worker").resolve("flamenco-worker.cfg"), marker)) {
            throw new ParameterException(commandLine, "--output " + dir + " already holds " + present.get(0)
                    .getFileName() + "/, not written by the demo; choose another --output or move it away");
        }
        long files = 0;
        for (Path p : present) {
            files += deleteTree(p);
        }
        out.printf("Removed the previous demo run's %d file(s) from %s%n", files, dir);
    }

    private static boolean writtenByTheDemo(Path config, String marker) {
        try {
            return Files.isRegularFile(config)
                    && Files.readAllLines(config, StandardCharsets.UTF_8).stream().findFirst()
                    .filter(marker::equals).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private static long deleteTree(Path root) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        long files = 0;
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                files++;
            }
            Files.delete(p);
        }
        return files;
    }
}
