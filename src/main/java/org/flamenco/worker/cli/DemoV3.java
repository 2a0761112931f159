package org.flamenco.worker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.flamenco.worker.embedded.AddedJob;
import org.flamenco.worker.embedded.AwaitTimeoutException;
import org.flamenco.worker.embedded.EmbeddedV3Manager;
import org.flamenco.worker.embedded.SampleJobs;
import org.flamenco.worker.embedded.V3TaskView;

/**
 * {@code demo --protocol v3}: the embedded Flamenco 3 Manager with the v3 sample job, and the real worker (a child
 * JVM with {@code manager_protocol = v3}) working through it; live progress in steps, then a summary.
 */
final class DemoV3 {
    private static final List<String> FINAL = List.of("completed", "failed", "canceled");

    private final Path dir;
    private final Path workerDir;
    private final int frames;
    private final boolean video;
    private final PrintWriter out;

    DemoV3(Path dir, Path workerDir, int frames, boolean video, PrintWriter out) {
        this.dir = dir;
        this.workerDir = workerDir;
        this.frames = frames;
        this.video = video;
        this.out = out;
    }

    int run() throws IOException, InterruptedException {
        try (EmbeddedV3Manager manager = new EmbeddedV3Manager().start()) {
            AddedJob job = manager.addJob(SampleJobs.JOB_NAME, SampleJobs.v3DemoJob(dir.resolve("frames"), frames, 1,
                    video));
            out.printf("Embedded Flamenco 3 Manager listening on %s%n", manager.url());
            out.printf("Job '%s': %d tasks with the Flamenco 3 commands; frames rendered by a shell script%s%n",
                    job.name(), job.taskIds().size(), video ? "" : " (no ffmpeg on PATH: skipping the video task)");
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put("manager_protocol", "v3");
            keys.put("task_types", "blender ffmpeg file-management misc");
            Path config = DemoCommand.writeConfig(workerDir, manager.url().toString(), keys);
            Process worker = DemoCommand.startWorker(workerDir, config);
            out.printf("Worker started (pid %d); its log: %s%n%n", worker.pid(), workerDir.resolve("worker.log"));
            out.flush();
            boolean done = follow(manager, job, worker);
            int workerExit = DemoCommand.stopWorker(worker);
            return summary(manager, job, done, workerExit);
        }
    }

    /** Prints a line whenever a task's status, steps or activity changes; true when the job finished. */
    private boolean follow(EmbeddedV3Manager manager, AddedJob job, Process worker) throws InterruptedException {
        long deadline = System.nanoTime() + DemoCommand.JOB_TIMEOUT.toNanos();
        Map<String, String> shown = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            boolean finished = true;
            for (V3TaskView t : manager.jobTasks(job.id())) {
                String line = progressLine(t);
                if (!line.equals(shown.put(t.id(), line))) {
                    out.println(line);
                    out.flush();
                }
                finished &= FINAL.contains(t.status());
            }
            if (finished) {
                return true;
            }
            if (!worker.isAlive()) {
                out.printf("The worker exited early with code %d; see its log.%n", worker.exitValue());
                return false;
            }
            String before = String.join("|", shown.values());
            try {
                manager.awaitCondition("progress", () -> !before.equals(progressKey(manager, job)),
                        Duration.ofMillis(500));
            } catch (AwaitTimeoutException e) {
                // nothing changed in the last half second; look again
            }
        }
        out.printf("The job did not finish within %d s.%n", DemoCommand.JOB_TIMEOUT.toSeconds());
        return false;
    }

    private static String progressKey(EmbeddedV3Manager manager, AddedJob job) {
        List<String> parts = new ArrayList<>();
        for (V3TaskView t : manager.jobTasks(job.id())) {
            parts.add(progressLine(t));
        }
        return String.join("|", parts);
    }

    private static String progressLine(V3TaskView t) {
        return String.format(Locale.ROOT, "%-16s %-10s step %d/%d  %s", t.name(), t.status(), t.stepsCompleted(),
                t.stepsTotal(), t.activity()).stripTrailing();
    }

    private int summary(EmbeddedV3Manager manager, AddedJob job, boolean done, int workerExit) throws IOException {
        boolean allCompleted = done;
        int updates = 0;
        int logLines = 0;
        out.printf("%nSummary%n");
        for (V3TaskView t : manager.jobTasks(job.id())) {
            updates += t.updates().size();
            logLines += t.logLines().size();
            allCompleted &= t.status().equals("completed");
            out.printf("  %-16s %s, %d of %d steps%n", t.name(), t.status(), t.stepsCompleted(), t.stepsTotal());
            if (t.status().equals("failed")) {
                List<String> lines = t.logLines();
                out.printf("    %s; its task log ends:%n", t.activity());
                lines.subList(Math.max(0, lines.size() - 3), lines.size()).forEach(l -> out.printf("      %s%n", l));
            }
        }
        List<Path> files = new ArrayList<>();
        Path frameDir = dir.resolve("frames");
        if (Files.isDirectory(frameDir)) {
            try (var walk = Files.walk(frameDir)) {
                walk.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        out.printf("  updates received by the Manager: %d, task-log lines: %d%n", updates, logLines);
        out.printf("  files produced: %d in %s%n", files.size(), frameDir);
        for (Path f : files) {
            out.printf("    %s (%d bytes)%n", dir.relativize(f), Files.size(f));
        }
        boolean signedOff = !manager.signOffs().isEmpty();
        out.printf("  worker signed off: %s, exit code %d%n", signedOff ? "yes" : "no", workerExit);
        boolean ok = allCompleted && workerExit == 0 && signedOff;
        out.printf("%s%n", ok ? "Demo finished: every task completed (Flamenco 3 protocol)." : "Demo FAILED: see "
                + "above; the worker's own log (startup, registration, errors) is " + workerDir.resolve("worker.log"));
        out.flush();
        return ok ? ExitCode.OK : ExitCode.INTERNAL_ERROR;
    }
}
