package org.flamenco.worker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.embedded.AwaitTimeoutException;
import org.flamenco.worker.embedded.EmbeddedManager;
import org.flamenco.worker.embedded.SampleJobs;
import org.flamenco.worker.embedded.TaskView;

/**
 * {@code demo --keep-running}: the Manager stays up, a second worker can join with the config and command printed
 * here (a command that works from an installed zip as from the checkout), and whenever every task is done a fresh
 * sample job is added, so a joining worker always finds work. Runs until the process is stopped (Ctrl+C).
 */
final class DemoKeepRunning {
    private static final Duration LOOK_AGAIN = Duration.ofMinutes(10);

    private final EmbeddedManager manager;
    private final Path dir;
    private final boolean video;
    private final Optional<Path> blend;
    private final String marker;
    private final PrintWriter out;

    DemoKeepRunning(EmbeddedManager manager, Path dir, boolean video, Optional<Path> blend, String marker,
                    PrintWriter out) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.dir = Objects.requireNonNull(dir, "dir");
        this.video = video;
        this.blend = Objects.requireNonNull(blend, "blend");
        this.marker = Objects.requireNonNull(marker, "marker");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Never returns normally; {@code workerCommand} starts a worker the way this demo was started. */
    void serve(String workerCommand) throws IOException, InterruptedException {
        Path second = Files.createDirectories(dir.resolve("second-worker"));
        Files.writeString(second.resolve("flamenco-worker.cfg"), String.join("\n", marker, "[flamenco-worker]",
                "manager_url = " + manager.url(),
                "task_types = sleep blender-render file-management exr-merge video-encoding debug",
                "worker_nickname = demo-worker-2", "credentials_file = credentials.cfg",
                "push_log_max_interval_seconds = 1", "push_act_max_interval_seconds = 1", ""),
                StandardCharsets.UTF_8);
        out.printf("%nManager still running at %s; a fresh sample job is added whenever every task is done.%n"
                + "Join with a second worker (in another terminal):%n"
                + "  cd %s && %s -c flamenco-worker.cfg%n"
                + "Press Ctrl+C to stop.%n", manager.url(), second, workerCommand);
        out.flush();
        for (int n = 2; ; n++) {
            awaitQueueDry();
            Path frames = dir.resolve("frames-" + n);
            manager.addJob(SampleJobs.JOB_NAME + " #" + n, SampleJobs.demoJob(frames, 2, 1, video, blend));
            out.printf("Every task was done: added job '%s #%d' (frames into %s)%n", SampleJobs.JOB_NAME, n, frames);
            out.flush();
        }
    }

    private void awaitQueueDry() throws InterruptedException {
        while (true) {
            try {
                manager.awaitCondition("every task done", this::allDone, LOOK_AGAIN);
                return;
            } catch (AwaitTimeoutException e) {
                // a long render: keep waiting
            }
        }
    }

    private boolean allDone() {
        for (TaskView t : manager.tasks()) {
            if (!t.status().equals("completed") && !t.status().equals("failed") && !t.status().equals("canceled")) {
                return false;
            }
        }
        return true;
    }
}
