package org.flamenco.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flamenco.worker.embedded.AddedJob;
import org.flamenco.worker.embedded.EmbeddedManager;
import org.flamenco.worker.embedded.RecordedRequest;
import org.flamenco.worker.embedded.TaskSpec;
import org.flamenco.worker.embedded.TaskView;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.testing.WorkerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Signals, modes and startup refusals, with the real worker process. */
@Timeout(120)
class WorkerSignalsAndModesIT {
    @TempDir
    Path dir;
    private EmbeddedManager manager;
    private WorkerProcess worker;
    private final String marker = "fwit-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void stopAll() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (manager != null) {
            manager.close();
        }
        for (long pid : WorkerProcess.pidsWithArgument(marker)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private AddedJob endlessJob() {
        return manager.addJob("job", List.of(new TaskSpec("t1", "debug", List.of(TaskSpec.command("exec",
                Map.of("cmd", "sh -c 'while true; do echo " + marker + "; sleep 0.2; done' " + marker))))));
    }

    @Test
    void sigusr1ReturnsTheTaskAndAcksAsleep_sigusr2AcksAwakeAndFetchesWithinFourSeconds() throws Exception {
        manager = new EmbeddedManager().start();
        AddedJob job = endlessJob();
        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of()).start();
        String id = job.taskId("t1");
        manager.awaitTask(id, t -> t.log().contains(marker), Duration.ofSeconds(60));

        worker.signal("USR1");

        manager.awaitCondition("ack asleep", () -> manager.acks().stream()
                .anyMatch(a -> a.status().equals("asleep")), Duration.ofSeconds(20));
        List<RecordedRequest> requests = manager.requests();
        assertThat(requests).anyMatch(r -> r.path().equals("/tasks/" + id + "/return"));
        assertThat(manager.task(id).updates()).noneMatch(u -> "canceled".equals(u.get("task_status"))
                || "failed".equals(u.get("task_status")));
        assertThat(WorkerProcess.pidsWithArgument(marker)).isEmpty();
        long afterSleep = manager.requests().size();

        Instant woken = Instant.now();
        worker.signal("USR2");

        RecordedRequest ack = manager.awaitRequest(r -> r.sequence() >= afterSleep
                && r.path().equals("/ack-status-change/awake"), Duration.ofSeconds(10));
        RecordedRequest fetch = manager.awaitRequest(r -> r.sequence() > ack.sequence()
                && r.path().equals("/task"), Duration.ofSeconds(10));
        // The fetch follows the wake-up after afterWake (3 s), not after an asleep interval; the ack marks the wake
        // inside the worker, so a slow signal delivery on a loaded machine does not count against it.
        assertThat(Duration.between(ack.time(), fetch.time())).isLessThan(Duration.ofSeconds(4));
        assertThat(Duration.between(woken, fetch.time())).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void singleMode_signsOffAndExitsZeroAfterTheFirstTask() throws Exception {
        manager = new EmbeddedManager().start();
        AddedJob job = manager.addJob("job", List.of(
                new TaskSpec("a", "debug", List.of(TaskSpec.command("echo", Map.of("message", "one")))),
                new TaskSpec("b", "debug", List.of(TaskSpec.command("echo", Map.of("message", "two"))))));

        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of()).start("--single");

        assertThat(worker.awaitExit(Duration.ofSeconds(60))).contains(0);
        assertThat(manager.signOffs()).hasSize(1);
        assertThat(manager.tasks().stream().filter(t -> t.status().equals("completed")).count()).isEqualTo(1);
        assertThat(manager.task(job.taskId("b")).status()).isNotEqualTo("completed");
    }

    @Test
    void managerDownAtShutdown_exitsZeroInTimeAndDeliversLeftoversAfterTheNextStart() throws Exception {
        manager = new EmbeddedManager().start();
        AddedJob job = endlessJob();
        worker = WorkerProcess.configure(dir, manager.url().toString(),
                Map.of("shutdown_timeout_seconds", "8")).start();
        String id = job.taskId("t1");
        manager.awaitTask(id, t -> t.log().contains(marker), Duration.ofSeconds(60));
        manager.stop();

        Instant stopAsked = Instant.now();
        worker.signal("TERM");

        assertThat(worker.awaitExit(Duration.ofSeconds(20))).contains(0);
        assertThat(Duration.between(stopAsked, Instant.now())).isLessThan(Duration.ofSeconds(11));
        manager.restart();
        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of()).start();
        TaskView t = manager.awaitTask(id, v -> v.log().contains("stopped running this task because the worker is "
                + "shutting down"), Duration.ofSeconds(60));
        assertThat(t.log()).contains(marker);
    }

    @Test
    void registrationWithTheRightSecret_carriesAValidTokenAndWorks() throws Exception {
        manager = new EmbeddedManager(Secret.of("farm-secret"), Clock.systemUTC()).start();

        worker = WorkerProcess.configure(dir, manager.url().toString(),
                Map.of("worker_registration_secret", "farm-secret")).start();

        RecordedRequest register = manager.awaitRequest(r -> r.path().equals("/register-worker")
                && r.status() == 200, Duration.ofSeconds(30));
        assertThat(register.header("Authorization")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer "));
        manager.awaitRequest(r -> r.path().equals("/task"), Duration.ofSeconds(30));
        assertThat(worker.output()).doesNotContain("farm-secret");
    }

    @Test
    void wrongRegistrationSecret_exitsThreeNamingTheSetting() throws Exception {
        manager = new EmbeddedManager(Secret.of("farm-secret"), Clock.systemUTC()).start();

        worker = WorkerProcess.configure(dir, manager.url().toString(),
                Map.of("worker_registration_secret", "wrong-secret")).start();

        assertThat(worker.awaitExit(Duration.ofSeconds(30))).contains(3);
        assertThat(worker.output()).contains("worker_registration_secret").doesNotContain("wrong-secret");
    }

    @Test
    void unreachableManagerAtStartup_isRetriedUntilItAppears() throws Exception {
        manager = new EmbeddedManager().start();
        int port = manager.port();
        manager.stop();
        worker = WorkerProcess.configure(dir, "http://127.0.0.1:" + port + "/", Map.of()).start();
        // With manager_protocol = auto (the default) the protocol probe is what retries while nothing answers.
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.output().contains("Cannot tell the Manager's "
                + "protocol yet"));

        manager.restart();

        manager.awaitRequest(r -> r.path().equals("/task"), Duration.ofSeconds(30));
        assertThat(worker.isAlive()).isTrue();
    }
}
