package org.flamenco.worker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.config.LoggingSettings;
import org.flamenco.worker.config.LoggingSettings.LogLevel;
import org.flamenco.worker.embedded.AddedJob;
import org.flamenco.worker.embedded.AwaitTimeoutException;
import org.flamenco.worker.embedded.EmbeddedManager;
import org.flamenco.worker.embedded.SampleJobs;
import org.flamenco.worker.embedded.TaskView;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code flamenco-worker demo}: an embedded Manager on loopback with a sample job, and the real worker (a child
 * JVM running this same program) working through it, with live progress and a summary.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class, separator = " ",
        usageHelpWidth = 110, sortOptions = false,
        description = {"Run a complete render-farm round trip on this machine: an embedded Flamenco Manager on "
                + "loopback hands a sample job (render frames, publish files, a video when ffmpeg is installed) "
                + "to a real worker process, and shows the progress the Manager receives."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every task completed and the worker signed off",
            "1:a task failed or the worker did not sign off (the summary says where to look)",
            "2:usage error (an invalid option value, an --output that holds files the demo did not write)"},
        footerHeading = "%n",
        footer = {"Files go to the output directory, fresh for every run: the rendered frames, the worker's "
                + "config, credentials, update queue and its log (worker/worker.log).",
            "",
            "Examples:",
            "  flamenco-worker demo                      six frames, then a summary",
            "  flamenco-worker demo --keep-running       then keep the Manager up for a second worker",
            "  flamenco-worker demo --protocol v3        the same round trip with a Flamenco 3 Manager"})
public final class DemoCommand implements Callable<Integer> {
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private static final int DEFAULT_FRAMES = 6;
    private static final int MAX_FRAMES = 1000;
    /** The first line of every config the demo writes: marks an output directory as the demo's own. */
    private static final String MARKER = "# Written by 'flamenco-worker demo'";

    @Spec
    private CommandSpec spec;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "flamenco-worker-demo",
            description = "Where frames, the worker's files and its log go (default: ${DEFAULT-VALUE}).")
    private Path output;

    private int frames = DEFAULT_FRAMES;

    @ParentCommand
    private WorkerCli parent;

    /** A value the demo cannot run with is a usage error (exit 2) before anything starts. */
    @Option(names = "--frames", paramLabel = "N", defaultValue = "6",
            description = "Frames to render, 1-" + MAX_FRAMES + " (default: ${DEFAULT-VALUE}).")
    void setFrames(int value) {
        if (value < 1 || value > MAX_FRAMES) {
            throw new ParameterException(spec.commandLine(), "--frames must be from 1 to " + MAX_FRAMES
                    + ", got " + value);
        }
        frames = value;
    }

    @Option(names = "--keep-running",
            description = "Keep the Manager running after the job, adding a fresh sample job whenever every "
                    + "task is done, and print a command that starts a second worker against it; Ctrl+C stops.")
    private boolean keepRunning;

    /** The protocols the demo's embedded Manager can speak. */
    enum Protocol { v2, v3 }

    @Option(names = "--protocol", paramLabel = "v2|v3", defaultValue = "v2",
            description = "The Manager's protocol: v2 (Flamenco 2, the default) or v3 (Flamenco 3: the worker runs "
                    + "with manager_protocol = v3 and the job uses the Flamenco 3 commands).")
    private Protocol protocol;

    @Override
    public Integer call() throws Exception {
        if (protocol == Protocol.v3 && keepRunning) {
            throw new ParameterException(spec.commandLine(), "--keep-running is only available with --protocol v2");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path dir = output.toAbsolutePath().normalize();
        DemoOutput.prepare(dir, MARKER, spec.commandLine(), out);
        // The demo prints its own lines; the embedded Manager's INFO lines would only repeat them.
        parent.environment().logging().apply(new LoggingSettings(LogLevel.WARNING, LogLevel.WARNING, true,
                Optional.empty()), false);
        Path workerDir = Files.createDirectories(dir.resolve("worker"));
        boolean video = SampleJobs.ffmpegOnPath(System.getenv("PATH"));
        if (protocol == Protocol.v3) {
            return new DemoV3(dir, workerDir, frames, video, out).run();
        }
        Optional<Path> blend = blendFile(dir, out);
        try (EmbeddedManager manager = new EmbeddedManager().start()) {
            AddedJob job = manager.addJob(SampleJobs.JOB_NAME, SampleJobs.demoJob(dir.resolve("frames"), frames, 1,
                    video, blend));
            out.printf("Embedded Manager listening on %s%n", manager.url());
            out.printf("Job '%s': %d tasks; frames rendered by %s%s%n", job.name(), job.taskIds().size(),
                    blend.isPresent() ? "Blender" : "a shell script (no blender on PATH)",
                    video ? "" : " (no ffmpeg on PATH: skipping the video task)");
            Path config = writeConfig(workerDir, manager.url().toString());
            Process worker = startWorker(workerDir, config);
            out.printf("Worker started (pid %d); its log: %s%n%n", worker.pid(), workerDir.resolve("worker.log"));
            out.flush();
            boolean done = follow(manager, job, worker, out);
            int workerExit = stopWorker(worker);
            int rc = summary(manager, job, dir, done, workerExit, out);
            if (keepRunning) {
                new DemoKeepRunning(manager, dir, video, blend, MARKER, out).serve(workerCommand());
            }
            return rc;
        }
    }

    /**
     * With Blender on PATH, a small animated Cycles scene for the render task (generated here, so the project ships
     * no binary assets); empty when Blender is absent or could not make it.
     */
    private Optional<Path> blendFile(Path dir, PrintWriter out) throws IOException, InterruptedException {
        if (!onPath("blender")) {
            return Optional.empty();
        }
        Path blend = Files.createDirectories(dir.resolve("scene")).resolve("demo.blend");
        String script = String.join("\n",
                "import bpy, math",
                "scene = bpy.context.scene",
                "scene.render.engine = 'CYCLES'",
                "scene.cycles.samples = 8",
                "scene.cycles.device = 'CPU'",
                "scene.cycles.use_denoising = False",
                "scene.render.resolution_x = 64",
                "scene.render.resolution_y = 48",
                "scene.frame_start = 1",
                "scene.frame_end = " + frames,
                "cube = bpy.data.objects['Cube']",
                "for f in (1, " + Math.max(2, frames) + "):",
                "    scene.frame_set(f)",
                "    cube.rotation_euler = (0.0, 0.0, math.radians(90 * (f - 1) / " + Math.max(1, frames - 1) + "))",
                "    cube.keyframe_insert(data_path='rotation_euler')",
                "bpy.ops.wm.save_as_mainfile(filepath=" + pythonString(blend.toString()) + ")");
        Process p = new ProcessBuilder("blender", "--background", "--factory-startup", "--python-expr", script)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        if (Files.isRegularFile(blend) && Files.size(blend) > 0) {
            return Optional.of(blend);
        }
        out.printf("Blender is installed but could not create the demo scene; rendering with a script instead.%n");
        return Optional.empty();
    }

    private static boolean onPath(String program) {
        for (String d : Objects.requireNonNullElse(System.getenv("PATH"), "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    private static String pythonString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static Path writeConfig(Path workerDir, String managerUrl) throws IOException {
        return writeConfig(workerDir, managerUrl, Map.of("task_types",
                "sleep blender-render file-management exr-merge video-encoding debug"));
    }

    /** The demo worker's config; {@code extra} adds keys ({@code task_types} at least). */
    static Path writeConfig(Path workerDir, String managerUrl, Map<String, String> extra) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("manager_url", managerUrl);
        keys.putAll(extra);
        keys.put("worker_nickname", "demo-worker");
        keys.put("credentials_file", workerDir.resolve("credentials.cfg").toString());
        keys.put("task_update_queue_db", workerDir.resolve("flamenco-worker.db").toString());
        keys.put("subprocess_pid_file", workerDir.resolve("subprocess.pid").toString());
        keys.put("push_log_max_interval_seconds", "1");
        keys.put("push_act_max_interval_seconds", "1");
        keys.put("may_i_run_interval_seconds", "2");
        StringBuilder sb = new StringBuilder(MARKER + "\n[flamenco-worker]\n");
        keys.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        Path config = workerDir.resolve("flamenco-worker.cfg");
        Files.writeString(config, sb.toString(), StandardCharsets.UTF_8);
        return config;
    }

    static Process startWorker(Path workerDir, Path config) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xss512k"));
        cmd.addAll(List.of("-cp", absoluteClassPath(), "org.flamenco.worker.Main", "-c", config.toString()));
        return new ProcessBuilder(cmd).directory(workerDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workerDir.resolve("worker.log").toFile()))
                .start();
    }

    /**
     * How to start the worker the way this demo was started: the install's {@code bin/flamenco-worker} (zip, .deb),
     * else {@code java -jar} of the checkout's jar, else the class path.
     */
    static String workerCommand() {
        String[] entries = absoluteClassPath().split(java.io.File.pathSeparator);
        Path first = Path.of(entries[0]);
        Path appHome = first.getParent() == null ? null : first.getParent().getParent();
        if (appHome != null && first.getParent().getFileName().toString().equals("lib")
                && Files.isExecutable(appHome.resolve("bin").resolve("flamenco-worker"))) {
            return appHome.resolve("bin").resolve("flamenco-worker").toString();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (entries.length == 1 && entries[0].endsWith(".jar")) {
            return java + " -jar " + entries[0];
        }
        return java + " -cp " + absoluteClassPath() + " org.flamenco.worker.Main";
    }

    /**
     * This JVM's class path with every entry made absolute: the worker runs in another directory, and
     * {@code java -jar target/flamenco-worker.jar} gives a relative one.
     */
    static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** Prints a line whenever a task's status, progress or activity changes; true when the job finished. */
    private static boolean follow(EmbeddedManager manager, AddedJob job, Process worker, PrintWriter out)
            throws InterruptedException {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        Map<String, String> shown = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            boolean finished = true;
            for (TaskView t : manager.jobTasks(job.id())) {
                String line = progressLine(t);
                if (!line.equals(shown.put(t.id(), line))) {
                    out.println(line);
                    out.flush();
                }
                finished &= isFinal(t.status());
            }
            if (finished) {
                return true;
            }
            if (!worker.isAlive()) {
                out.printf("The worker exited early with code %d; see its log.%n", worker.exitValue());
                return false;
            }
            try {
                String before = String.join("|", shown.values());
                manager.awaitCondition("progress", () -> !before.equals(progressKey(manager, job)),
                        Duration.ofMillis(500));
            } catch (AwaitTimeoutException e) {
                // nothing changed in the last half second; look again
            }
        }
        out.printf("The job did not finish within %d s.%n", JOB_TIMEOUT.toSeconds());
        return false;
    }

    private static String progressKey(EmbeddedManager manager, AddedJob job) {
        List<String> parts = new ArrayList<>();
        for (TaskView t : manager.jobTasks(job.id())) {
            parts.add(progressLine(t));
        }
        return String.join("|", parts);
    }

    /** Status, progress, and for a running task its newest output line (what the render prints per frame). */
    private static String progressLine(TaskView t) {
        String detail = t.activity();
        if (t.status().equals("active")) {
            List<String> lines = t.logLines();
            for (int i = lines.size() - 1; i >= 0; i--) {
                int marker = lines.get(i).indexOf(" > ");
                if (marker >= 0) {
                    detail = lines.get(i).substring(marker + 3);
                    break;
                }
            }
        }
        return String.format(Locale.ROOT, "%-16s %-10s %3d%%  %s", t.name(), t.status(),
                t.taskProgressPercentage(), detail).stripTrailing();
    }

    private static boolean isFinal(String status) {
        return status.equals("completed") || status.equals("failed") || status.equals("canceled");
    }

    /** SIGTERM, as a service manager would; returns the worker's exit code. */
    static int stopWorker(Process worker) throws InterruptedException {
        if (worker.isAlive()) {
            worker.destroy();
            if (!worker.waitFor(40, TimeUnit.SECONDS)) {
                worker.destroyForcibly();
                worker.waitFor();
            }
        }
        return worker.exitValue();
    }

    private static int summary(EmbeddedManager manager, AddedJob job, Path dir, boolean done, int workerExit,
                               PrintWriter out) throws IOException {
        List<TaskView> tasks = manager.jobTasks(job.id());
        int updates = 0;
        int logLines = 0;
        boolean allCompleted = done;
        out.printf("%nSummary%n");
        for (TaskView t : tasks) {
            updates += t.updates().size();
            logLines += t.logLines().size();
            allCompleted &= t.status().equals("completed");
            out.printf("  %-16s %s%n", t.name(), t.status());
            if (t.status().equals("failed")) {
                List<String> lines = t.logLines();
                out.printf("    %s; its task log ends:%n", t.activity());
                lines.subList(Math.max(0, lines.size() - 3), lines.size()).forEach(l -> out.printf("      %s%n", l));
            }
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir.resolve("frames"))) {
            try (var walk = Files.walk(dir.resolve("frames"))) {
                walk.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        out.printf("  updates received by the Manager: %d, task-log lines: %d%n", updates, logLines);
        out.printf("  files produced: %d in %s%n", files.size(), dir.resolve("frames"));
        for (Path f : files) {
            out.printf("    %s (%d bytes)%n", dir.relativize(f), Files.size(f));
        }
        out.printf("  worker signed off: %s, exit code %d%n", manager.signOffs().isEmpty() ? "no" : "yes",
                workerExit);
        boolean ok = allCompleted && workerExit == 0 && !manager.signOffs().isEmpty();
        out.printf("%s%n", ok ? "Demo finished: every task completed." : "Demo FAILED: see above; the worker's "
                + "own log (startup, registration, errors) is " + dir.resolve("worker").resolve("worker.log"));
        out.flush();
        return ok ? ExitCode.OK : ExitCode.INTERNAL_ERROR;
    }
}
