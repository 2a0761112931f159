package org.flamenco.worker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.flamenco.worker.model.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Test hooks that change the Manager's database behind the worker's back. */
@Timeout(30)
class EmbeddedManagerAdminTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
    private EmbeddedManager manager;
    private ManagerClient client;
    private String workerId;
    private String taskId;

    @BeforeEach
    void start() throws Exception {
        manager = new EmbeddedManager(Secret.empty(), clock).start();
        client = new ManagerClient(manager.url());
        workerId = client.register("node-01", List.of("sleep"));
        taskId = manager.addJob("job", List.of(new TaskSpec("t", "sleep", List.of()))).taskId("t");
        assertThat(client.post("/task").statusCode()).isEqualTo(200);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void deleteTask_makesUpdatesGet404AndMayIRunSayNo() throws Exception {
        manager.deleteTask(taskId);

        HttpResponse<String> update = client.post("/tasks/" + taskId + "/update", "{\"log\":\"x\"}");
        HttpResponse<String> may = client.get("/may-i-run/" + taskId);

        assertThat(update.statusCode()).isEqualTo(404);
        assertThat(ManagerClient.parse(may.body())).containsEntry("may_keep_running", false)
                .containsEntry("reason", "unable to find task " + taskId);
    }

    @Test
    void assignTask_toAnotherWorker_makesUpdatesGet409() throws Exception {
        manager.assignTask(taskId, "aaaaaaaaaaaaaaaaaaaaaaaa");

        HttpResponse<String> update = client.post("/tasks/" + taskId + "/update", "{\"log\":\"x\"}");
        HttpResponse<String> may = client.get("/may-i-run/" + taskId);

        assertThat(update.statusCode()).isEqualTo(409);
        assertThat(ManagerClient.parse(may.body())).containsEntry("reason",
                "task " + taskId + " reassigned to another worker");
    }

    @Test
    void timeOutSilentWorkers_requeuesTasksOfAwakeWorkersNotSeenInTime() throws Exception {
        clock.advance(Duration.ofSeconds(30));
        assertThat(manager.timeOutSilentWorkers(Duration.ofMinutes(1))).isEmpty();

        clock.advance(Duration.ofSeconds(31));
        List<String> timedOut = manager.timeOutSilentWorkers(Duration.ofMinutes(1));

        assertThat(timedOut).containsExactly(workerId);
        assertThat(manager.worker(workerId).orElseThrow().status()).isEqualTo("timeout");
        assertThat(manager.task(taskId).status()).isEqualTo("claimed-by-manager");
        assertThat(manager.task(taskId).activity()).endsWith("worker timed out");
    }

    @Test
    void recordedTimesComeFromTheManagersClock() {
        assertThat(manager.requests()).extracting(RecordedRequest::time)
                .containsOnly(Instant.parse("2026-01-01T12:00:00Z"));
        assertThat(manager.worker(workerId).orElseThrow().lastSeen()).isEqualTo("2026-01-01T12:00:00Z");
        assertThat(manager.task(taskId).commands()).isEqualTo(List.<Map<String, Object>>of());
    }
}
