package org.flamenco.worker.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the packaged worker as a separate OS process with the service's JVM flags (README "JVM flags"), its
 * config, queue, credentials and output all in one work directory. Each {@link #start()} appends to the same
 * {@code worker.log}, so a restarted worker continues the story of the previous one.
 */
final class WorkerLauncher {
    /** The flags of the systemd unit and the start script. */
    static final List<String> SERVICE_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx64m",
            "-XX:TieredStopAtLevel=1", "-Xss512k");

    private final Path jar;
    private final Path dir;
    private final Path config;

    WorkerLauncher(Path jar, Path dir, String managerUrl, Map<String, String> settings) throws IOException {
        this.jar = jar;
        this.dir = dir;
        this.config = dir.resolve("flamenco-worker.cfg");
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("manager_url", managerUrl);
        keys.put("task_types", "debug");
        keys.put("worker_nickname", "chaos-worker");
        keys.put("credentials_file", dir.resolve("credentials.cfg").toString());
        keys.put("task_update_queue_db", dir.resolve("flamenco-worker.db").toString());
        keys.put("subprocess_pid_file", dir.resolve("subprocess.pid").toString());
        keys.putAll(settings);
        StringBuilder sb = new StringBuilder("[flamenco-worker]\n");
        keys.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(config, sb.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Copies the worker jar and its {@code lib/} directory into {@code target}, so rebuilding the project during a
     * long run does not change the binary under test.
     *
     * @return the copied jar
     */
    static Path copyJar(Path jar, Path target) throws IOException {
        Files.createDirectories(target.resolve("lib"));
        Path lib = jar.getParent().resolve("lib");
        if (Files.isDirectory(lib)) {
            try (var files = Files.list(lib)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, target.resolve("lib").resolve(f.getFileName()),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path copy = target.resolve(jar.getFileName());
        Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }

    Path dir() {
        return dir;
    }

    Process start(String... extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(SERVICE_JVM_FLAGS);
        String extra = System.getProperty("worker.jvmArgs", "").strip(); // e.g. -XX:NativeMemoryTracking=summary
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        Path tmp = dir.resolve("tmp");
        Files.createDirectories(tmp);
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.addAll(List.of("-jar", jar.toString(), "-c", config.toString()));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("worker.log").toFile()));
        pb.environment().put("HOME", dir.toString());
        // As bin/flamenco-worker and the systemd unit do: keeps SIGUSR2 for the worker (README "Signals").
        pb.environment().putIfAbsent("_JAVA_SR_SIGNUM", "40");
        return pb.start();
    }
}
