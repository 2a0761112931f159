package org.flamenco.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flamenco.worker.embedded.AddedJob;
import org.flamenco.worker.embedded.EmbeddedManager;
import org.flamenco.worker.embedded.RecordedRequest;
import org.flamenco.worker.embedded.TaskSpec;
import org.flamenco.worker.embedded.TaskView;
import org.flamenco.worker.testing.WorkerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fault runs of {@link WorkerFaultsIT} with {@code process_launcher = portable} (the fallback of every OS) and
 * {@code spawn} (the launcher of macOS): may-i-run abort, SIGTERM during a task, kill -9 and a restart with the
 * leftover tree still running.
 */
@Timeout(180)
@ParameterizedClass
@ValueSource(strings = {"portable", "spawn"})
class PortableLauncherIT {
    @Parameter
    String launcher;
    @TempDir
    Path dir;
    private EmbeddedManager manager;
    private WorkerProcess worker;
    private final String marker = "fwpit-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void startManager() throws Exception {
        manager = new EmbeddedManager().start();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (worker != null) {
            worker.close();
        }
        manager.close();
        for (long pid : WorkerProcess.pidsWithArgument(marker)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** A shell printing numbered lines, with a background subshell (carrying the marker) waiting on a sleep. */
    private AddedJob countingJob(double interval) {
        String script = "sleep 1000 && echo " + marker + " & i=0; while :; do echo " + marker + "-line-$i;"
                + " i=$((i+1)); sleep " + interval + "; done";
        return manager.addJob("job", List.of(new TaskSpec("t1", "debug", List.of(
                TaskSpec.command("exec", Map.of("cmd", "sh -c '" + script + "' " + marker))))));
    }

    private WorkerProcess startWorker() throws Exception {
        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of("process_launcher", launcher))
                .start();
        return worker;
    }

    @Test
    void mayIRunNo_killsChildAndGrandchildAndReturnsTheTask() throws Exception {
        AddedJob job = countingJob(0.2);
        startWorker();
        String id = job.taskId("t1");
        manager.awaitTask(id, t -> t.log().contains(marker + "-line-2"), Duration.ofSeconds(60));
        assertThat(WorkerProcess.pidsWithArgument(marker)).hasSizeGreaterThanOrEqualTo(2);

        manager.cancelTask(id);

        manager.awaitRequest(r -> r.path().equals("/tasks/" + id + "/return"), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(5)).until(() -> WorkerProcess.pidsWithArgument(marker).isEmpty());
        assertThat(manager.task(id).log()).contains("stopped running this task, no longer allowed to run by Manager");
        assertThat(worker.output()).contains("Subprocesses start through the " + launcher + " launcher");
    }

    @Test
    void sigtermDuringTask_killsTheTreeSignsOffLastAndExitsZero() throws Exception {
        AddedJob job = countingJob(0.2);
        startWorker();
        String id = job.taskId("t1");
        manager.awaitTask(id, t -> t.log().contains(marker + "-line-2"), Duration.ofSeconds(60));

        worker.signal("TERM");

        assertThat(worker.awaitExit(Duration.ofSeconds(30))).contains(0);
        assertThat(WorkerProcess.pidsWithArgument(marker)).isEmpty();
        List<RecordedRequest> requests = manager.requests();
        assertThat(requests.get(requests.size() - 1).path()).isEqualTo("/sign-off");
        TaskView t = manager.task(id);
        assertThat(t.log()).contains("stopped running this task because the worker is shutting down");
    }

    @Test
    void kill9ThenRestart_theLeftoverTreeIsStoppedAtStartupAndTheLinesArriveInOrder() throws Exception {
        AddedJob job = countingJob(0.05);
        startWorker();
        String id = job.taskId("t1");
        manager.awaitTask(id, t -> t.log().contains(marker + "-line-20"), Duration.ofSeconds(60));

        worker.signal("KILL");
        worker.awaitExit(Duration.ofSeconds(10));
        // the leader dies of SIGPIPE at its next line; its background subshell, re-parented, lives on
        await().atMost(Duration.ofSeconds(5)).until(() -> WorkerProcess.pidsWithArgument(marker).size() == 1);
        long leftover = WorkerProcess.pidsWithArgument(marker).get(0);
        long requestsBefore = manager.requests().size();
        startWorker();

        await().atMost(Duration.ofSeconds(30)).until(() -> WorkerProcess.pidsWithArgument(marker).isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.output().contains("left by a previous run"));
        manager.awaitRequest(r -> r.sequence() >= requestsBefore && r.path().equals("/task"), Duration.ofSeconds(60));
        List<String> lines = new java.util.ArrayList<>();
        for (String l : manager.task(id).logLines()) {
            if (l.endsWith(" > " + marker + "-line-0") && !lines.isEmpty()) {
                break; // the task's second run starts again at line 0
            }
            if (l.contains(" > " + marker + "-line-")) {
                lines.add(l.substring(l.indexOf(marker + "-line-")));
            }
        }
        // The update in flight at the kill may arrive twice (README: a lost answer means a resend): at most one
        // stretch of earlier lines repeated; apart from that, every line once and in order.
        List<String> distinct = List.copyOf(new java.util.LinkedHashSet<>(lines));
        assertThat(distinct.size()).isGreaterThan(20);
        for (int i = 0; i < distinct.size(); i++) {
            assertThat(distinct.get(i)).isEqualTo(marker + "-line-" + i);
        }
        int restarts = 0;
        for (int i = 1; i < lines.size(); i++) {
            if (lineNumber(lines.get(i)) != lineNumber(lines.get(i - 1)) + 1) {
                restarts++;
            }
        }
        assertThat(restarts).as("re-sent stretches in %s", lines).isLessThanOrEqualTo(1);
        assertThat(worker.isAlive()).isTrue();
    }

    private static int lineNumber(String line) {
        return Integer.parseInt(line.substring(line.lastIndexOf('-') + 1));
    }
}
