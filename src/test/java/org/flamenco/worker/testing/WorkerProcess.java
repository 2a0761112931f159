package org.flamenco.worker.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The packaged worker ({@code target/flamenco-worker.jar}) as a separate OS process, for end-to-end tests: writes a
 * config file into its own working directory, starts {@code java -jar}, keeps the combined output in a file and
 * kills the process (and anything it left) on {@link #close()}.
 */
public final class WorkerProcess implements AutoCloseable {
    private final Path workDir;
    private final Path config;
    private final Path output;
    private Process process;

    private WorkerProcess(Path workDir, Path config) {
        this.workDir = workDir;
        this.config = config;
        this.output = workDir.resolve("worker-output.log");
    }

    /**
     * Writes {@code flamenco-worker.cfg} with fast test timings plus {@code settings} into {@code workDir}.
     * The credentials file lives in the same directory, so the test's home directory is never touched.
     */
    public static WorkerProcess configure(Path workDir, String managerUrl, Map<String, String> settings)
            throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("manager_url", managerUrl);
        keys.put("task_types", "sleep blender-render file-management exr-merge video-encoding debug");
        keys.put("credentials_file", workDir.resolve("credentials.cfg").toString());
        keys.put("task_update_queue_db", workDir.resolve("flamenco-worker.db").toString());
        keys.put("subprocess_pid_file", workDir.resolve("subprocess.pid").toString());
        keys.put("worker_nickname", "it-worker");
        keys.put("may_i_run_interval_seconds", "1");
        keys.put("push_log_max_interval_seconds", "1");
        keys.put("push_act_max_interval_seconds", "1");
        keys.put("subprocess_kill_grace_seconds", "2");
        keys.put("shutdown_timeout_seconds", "20");
        keys.putAll(settings);
        StringBuilder sb = new StringBuilder("[flamenco-worker]\n");
        keys.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        Path config = workDir.resolve("flamenco-worker.cfg");
        Files.writeString(config, sb.toString(), StandardCharsets.UTF_8);
        return new WorkerProcess(workDir, config);
    }

    /** The packaged jar built by {@code package} (failsafe passes its path). */
    public static Path jar() {
        return Path.of(System.getProperty("flamenco.worker.jar", "target/flamenco-worker.jar")).toAbsolutePath();
    }

    public WorkerProcess start(String... extraArgs) throws IOException {
        return start(Map.of(), extraArgs);
    }

    /** As {@link #start(String...)}, with {@code environment} added to the worker's environment. */
    public WorkerProcess start(Map<String, String> environment, String... extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xmx64m");
        // Temporary files (the Blender helper directory) stay in the test's directory, even after a SIGKILL.
        Path tmp = workDir.resolve("tmp");
        Files.createDirectories(tmp);
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.add("-c");
        cmd.add(config.toString());
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        pb.environment().put("HOME", workDir.toString());
        pb.environment().putAll(environment);
        process = pb.start();
        return this;
    }

    public Path workDir() {
        return workDir;
    }

    public Path config() {
        return config;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Sends a POSIX signal (TERM, INT, USR1, USR2, KILL…) to the worker process. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Waits for the exit code; empty when the process is still running after {@code timeout}. */
    public Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.of(process.exitValue());
        }
        return Optional.empty();
    }

    /** Everything the worker printed so far. */
    public String output() throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }

    /** PIDs of processes whose command line contains {@code marker} (found through /proc). */
    public static List<Long> pidsWithArgument(String marker) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(ph -> {
            // commandLine() is empty when argv[0] is not the executable's path (/bin/sh running as dash): use the
            // arguments then
            ProcessHandle.Info info = ph.info();
            String cl = info.commandLine().orElseGet(() -> String.join(" ", info.arguments().orElse(new String[0])));
            if (cl.contains(marker) && ph.pid() != ProcessHandle.current().pid()) {
                pids.add(ph.pid());
            }
        });
        return pids;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "worker pid " + (process == null ? "-" : process.pid()) + " in " + workDir + File.separator;
    }
}
