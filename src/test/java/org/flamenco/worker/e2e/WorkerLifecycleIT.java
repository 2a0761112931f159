package org.flamenco.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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

/** The packaged worker as an OS process against the embedded Manager: the normal life of a worker. */
@Timeout(120)
class WorkerLifecycleIT {
    @TempDir
    Path dir;
    private EmbeddedManager manager;
    private WorkerProcess worker;

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
    }

    private static Map<String, Object> cmd(String name, Map<String, ?> settings) {
        return TaskSpec.command(name, settings);
    }

    @Test
    void registersRunsATaskReportsEverythingAndSignsOffOnSigterm() throws Exception {
        AddedJob job = manager.addJob("job", List.of(new TaskSpec("t1", "debug", List.of(
                cmd("echo", Map.of("message", "hello from the task")),
                cmd("exec", Map.of("cmd", "sh -c 'echo line-one; echo line-two'"))))));
        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of()).start();

        TaskView done = manager.awaitTaskStatus(job.taskId("t1"), "completed", Duration.ofSeconds(60));
        worker.signal("TERM");

        assertThat(worker.awaitExit(Duration.ofSeconds(30))).contains(0);
        List<RecordedRequest> requests = manager.requests();
        // manager_protocol = auto (the default) asks for a Flamenco 3 version document first; the v2 Manager's 404
        // settles it, and registration follows.
        assertThat(requests.get(0).path()).isEqualTo("/api/v3/version");
        assertThat(requests.get(1).path()).isEqualTo("/register-worker");
        assertThat(requests).noneMatch(r -> r.path().equals("/sign-on"));
        assertThat(requests.get(requests.size() - 1).path()).isEqualTo("/sign-off");
        assertThat(done.activity()).isEqualTo("Task completed");
        assertThat(done.taskProgressPercentage()).isEqualTo(100);
        assertThat(done.updates().get(0)).containsEntry("task_status", "active");
        assertThat(done.updates()).allSatisfy(u -> assertThat(u).doesNotContainKeys("_id", "task_id", "worker",
                "log_tail", "received_on_manager", "failed_by_workers"));
        assertThat(done.log()).contains("hello from the task", "line-one", "line-two");
        assertThat(done.logLines()).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?"
                + "\\+00:00: .*"));
        assertThat(Files.readString(dir.resolve("credentials.cfg"))).contains("worker_id", "worker_secret");
        assertThat(worker.output()).doesNotContain(secretOf(dir.resolve("credentials.cfg")));
    }

    @Test
    void restartWithStoredCredentialsSignsOnInsteadOfRegistering() throws Exception {
        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of()).start();
        manager.awaitRequest(r -> r.path().equals("/task"), Duration.ofSeconds(30));
        worker.signal("TERM");
        assertThat(worker.awaitExit(Duration.ofSeconds(30))).contains(0);

        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of()).start();

        manager.awaitRequest(r -> r.path().equals("/sign-on"), Duration.ofSeconds(30));
        assertThat(manager.requests("POST", "/register-worker")).hasSize(1);
    }

    @Test
    void failingCommandStopsTheTaskAndNamesTheCommand() throws Exception {
        AddedJob job = manager.addJob("job", List.of(new TaskSpec("t1", "debug", List.of(
                cmd("echo", Map.of("message", "first")),
                cmd("exec", Map.of("cmd", "sh -c 'exit 3'")),
                cmd("echo", Map.of("message", "never"))))));
        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of()).start();

        TaskView failed = manager.awaitTaskStatus(job.taskId("t1"), "failed", Duration.ofSeconds(60));

        assertThat(failed.activity()).contains("exec.(task_id=" + job.taskId("t1") + ", command_idx=1)");
        assertThat(failed.log()).doesNotContain("never");
    }

    private static String secretOf(Path credentials) throws Exception {
        for (String line : Files.readAllLines(credentials)) {
            if (line.startsWith("worker_secret")) {
                return line.substring(line.indexOf('=') + 1).strip();
            }
        }
        throw new AssertionError("no worker_secret in " + credentials);
    }
}
