package org.flamenco.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flamenco.worker.embedded.AddedJob;
import org.flamenco.worker.embedded.EmbeddedManager;
import org.flamenco.worker.embedded.TaskSpec;
import org.flamenco.worker.embedded.TaskView;
import org.flamenco.worker.testing.WorkerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27 with the packaged worker: renders get the OOM score, every command says what it used, a SIGKILL from
 * outside fails the task legibly and the worker takes the next task. Linux only.
 */
@Timeout(180)
class SubprocessResourcesIT {
    private static final Pattern READY = Pattern.compile("pid=(\\d+) > ready");
    @TempDir
    Path dir;
    private EmbeddedManager manager;
    private WorkerProcess worker;

    @BeforeEach
    void startManager() throws Exception {
        assumeThat(Path.of("/proc/self/oom_score_adj")).exists();
        manager = new EmbeddedManager().start();
        manager.setFailuresBeforeHardFail(1);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    private static TaskSpec exec(String name, String cmd) {
        return new TaskSpec(name, "debug", List.of(TaskSpec.command("exec", Map.of("cmd", cmd))));
    }

    @Test
    void renderGetsTheOomScore_aForeignKillFailsLegibly_andTheNextTaskRunsWithItsFigures() throws Exception {
        AddedJob job = manager.addJob("resources", List.of(
                // "ready" only after a second: the worker has sampled the tree by then, so the figures are known.
                exec("killed", "sh -c 'sleep 1; echo ready; exec sleep 60'"),
                exec("after", "sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo after'")));
        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of("subprocess_nice", "3")).start();
        String killed = job.taskId("killed");
        TaskView running = manager.awaitTask(killed, t -> READY.matcher(t.log()).find(), Duration.ofSeconds(60));
        Matcher m = READY.matcher(running.log());
        assertThat(m.find()).isTrue();
        long pid = Long.parseLong(m.group(1));

        String score = Files.readString(Path.of("/proc", Long.toString(pid), "oom_score_adj")).strip();
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        assertThat(score).isEqualTo("500"); // the default on Linux
        assertThat(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]).isEqualTo("3");
        TaskView failed = manager.awaitTaskStatus(killed, "failed", Duration.ofSeconds(60));
        assertThat(failed.activity()).endsWith("(pid=" + pid + ") killed by signal 9, not sent by the worker");
        assertThat(failed.logLines()).anyMatch(l -> l.matches(".*exec: finished in \\d+\\.\\ds, CPU \\d+\\.\\ds, "
                + "peak memory \\d+(\\.\\d)? [KM]iB"));
        TaskView after = manager.awaitTaskStatus(job.taskId("after"), "completed", Duration.ofSeconds(60));
        assertThat(after.logLines()).anyMatch(l -> l.matches(".*exec: finished in .*, CPU .*, peak memory .*"));
        assertThat(worker.isAlive()).isTrue();
        System.out.println("--- task log of 'killed' ---\n" + failed.log() + "\n--- task log of 'after' ---\n"
                + after.log());
    }
}
