package org.flamenco.worker.packaging;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an OS command to completion with its output captured in files (no reader threads), and kills it when it
 * outlives its time limit.
 */
final class ExternalCommand {
    static final Duration DEFAULT_LIMIT = Duration.ofSeconds(60);

    /** What a finished command left behind. */
    record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private ExternalCommand() {
    }

    static Result run(List<String> command, Path workingDir, Map<String, String> environment, Path scratch)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "stdout", ".txt");
        Path err = Files.createTempFile(scratch, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // A developer's own JVM options must not leak into the launcher tests.
        builder.environment().remove("FLAMENCO_WORKER_JAVA_OPTS");
        builder.environment().remove("_JAVA_SR_SIGNUM");
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(DEFAULT_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("still running after " + DEFAULT_LIMIT + ": " + command);
            }
        } finally {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    static Result run(List<String> command, Path workingDir, Path scratch) throws IOException, InterruptedException {
        return run(command, workingDir, Map.of(), scratch);
    }

    /** Whether an executable called {@code name} is on PATH (what {@code which} answers). */
    static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }
}
