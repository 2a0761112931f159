package org.flamenco.worker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Task hand-out, updates, may-i-run and previews of the embedded Flamenco 3 Manager. */
@Timeout(30)
class EmbeddedV3ManagerTaskTest {
    private static final String UNKNOWN = "01234567-89ab-4cde-8f01-23456789abcd";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};

    private EmbeddedV3Manager manager;
    private V3Client client;
    private String workerId;

    @BeforeEach
    void start() throws Exception {
        manager = new EmbeddedV3Manager().start();
        client = new V3Client(manager.url());
        workerId = client.join("node-1", List.of("misc"));
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private String addTask() {
        return manager.addJob("job", List.of(new V3TaskSpec("t1", "misc", List.of(
                V3TaskSpec.command("echo", Map.of("message", "hi")),
                V3TaskSpec.command("sleep", Map.of("duration_in_seconds", 1), 3))))).taskId("t1");
    }

    private String fetchTask() throws Exception {
        String id = addTask();
        V3Client.expect(client.post("/api/v3/worker/task", ""), 200);
        return id;
    }

    private HttpResponse<String> update(String taskId, String json) throws Exception {
        return client.post("/api/v3/worker/task/" + taskId, json);
    }

    @Test
    void task_handsOutAssignedTaskDocument() throws Exception {
        String id = addTask();

        HttpResponse<String> r = V3Client.expect(client.post("/api/v3/worker/task", ""), 200);

        Map<String, Object> doc = ManagerClient.parse(r.body());
        assertThat(doc).containsOnlyKeys("uuid", "job", "name", "status", "priority", "job_priority", "job_type",
                "task_type", "commands", "steps_completed", "steps_total");
        assertThat(doc).containsEntry("uuid", id).containsEntry("status", "active").containsEntry("steps_total", 4);
        assertThat((List<?>) doc.get("commands")).first().isEqualTo(Map.of("name", "echo", "parameters",
                Map.of("message", "hi"), "total_step_count", 0));
        assertThat(manager.task(id).workerId()).isEqualTo(workerId);
    }

    @Test
    void task_beforeReportingAwake_is409() throws Exception {
        V3Client other = new V3Client(manager.url());
        other.register("node-2", List.of("misc"));

        assertThat(other.post("/api/v3/worker/task", "").statusCode()).isEqualTo(409);
    }

    @Test
    void task_withPendingLazyRequest_is423() throws Exception {
        manager.requestStatusChange(workerId, "offline", true);

        HttpResponse<String> r = client.post("/api/v3/worker/task", "");

        assertThat(r.statusCode()).isEqualTo(423);
        assertThat(ManagerClient.parse(r.body())).isEqualTo(Map.of("status_requested", "offline"));
    }

    @Test
    void task_handsOutOwnActiveTaskAgain() throws Exception {
        String id = fetchTask();

        HttpResponse<String> again = V3Client.expect(client.post("/api/v3/worker/task", ""), 200);

        assertThat(ManagerClient.parse(again.body())).containsEntry("uuid", id);
    }

    @Test
    void update_appliesStatusActivityLogAndClampedSteps() throws Exception {
        String id = fetchTask();

        V3Client.expect(update(id, "{\"taskStatus\":\"active\",\"activity\":\"Started\"}"), 204);
        V3Client.expect(update(id, "{\"activity\":\"Progress\",\"steps_completed\":9}"), 204);
        V3Client.expect(update(id, "{\"log\":\"line 1\\nline 2\"}"), 204);
        V3Client.expect(update(id, "{\"taskStatus\":\"completed\",\"activity\":\"Completed\"}"), 204);

        V3TaskView t = manager.task(id);
        assertThat(t.status()).isEqualTo("completed");
        assertThat(t.activity()).isEqualTo("Completed");
        assertThat(t.stepsCompleted()).isEqualTo(4);
        assertThat(t.log()).isEqualTo("line 1\nline 2\n");
        assertThat(t.updates()).hasSize(4);
    }

    @Test
    void update_softFailed_is400() throws Exception {
        String id = fetchTask();

        assertThat(update(id, "{\"taskStatus\":\"soft-failed\"}").statusCode()).isEqualTo(400);
        assertThat(manager.task(id).status()).isEqualTo("active");
    }

    @Test
    void update_nullValueOrWrongType_is400() throws Exception {
        String id = fetchTask();

        assertThat(update(id, "{\"activity\":null}").statusCode()).isEqualTo(400);
        assertThat(update(id, "{\"steps_completed\":1.5}").statusCode()).isEqualTo(400);
        assertThat(update(id, "{\"taskStatus\":\"done\"}").statusCode()).isEqualTo(400);
        assertThat(update(id, "[]").statusCode()).isEqualTo(400);
        assertThat(manager.task(id).updates()).isEmpty();
    }

    @Test
    void update_unknownKeysAreAcceptedAndIgnored() throws Exception {
        String id = fetchTask();

        V3Client.expect(update(id, "{\"task_status\":\"completed\"}"), 204);

        assertThat(manager.task(id).status()).isEqualTo("active");
    }

    @Test
    void update_badUuid_is400_unknownTask_is404() throws Exception {
        fetchTask();

        assertThat(update("5c8f0a9b1d2e3f4a5b6c7d8e", "{}").statusCode()).isEqualTo(400);
        assertThat(update(UNKNOWN, "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void update_ofReassignedTask_is409() throws Exception {
        String id = fetchTask();

        manager.reassignTask(id);

        assertThat(update(id, "{\"log\":\"late\"}").statusCode()).isEqualTo(409);
    }

    @Test
    void update_failed_failsTheTask() throws Exception {
        String id = fetchTask();

        V3Client.expect(update(id, "{\"taskStatus\":\"failed\",\"activity\":\"Failed: x\"}"), 204);

        assertThat(manager.task(id).status()).isEqualTo("failed");
        assertThat(manager.task(id).failedByWorkers()).containsExactly(workerId);
    }

    @Test
    void leavingAwake_requeuesTheTaskButKeepsItsWorker() throws Exception {
        String id = fetchTask();

        V3Client.expect(client.post("/api/v3/worker/state-changed", "{\"status\":\"asleep\"}"), 204);

        assertThat(manager.task(id).status()).isEqualTo("queued");
        V3Client.expect(update(id, "{\"log\":\"late line\"}"), 204);
    }

    @Test
    void mayIRun_answers() throws Exception {
        String id = fetchTask();

        Map<String, Object> yes = ManagerClient.parse(V3Client.expect(
                client.get("/api/v3/worker/task/" + id + "/may-i-run"), 200).body());
        Map<String, Object> unknown = ManagerClient.parse(V3Client.expect(
                client.get("/api/v3/worker/task/" + UNKNOWN + "/may-i-run"), 200).body());
        manager.requestStatusChange(workerId, "asleep", false);
        Map<String, Object> change = ManagerClient.parse(V3Client.expect(
                client.get("/api/v3/worker/task/" + id + "/may-i-run"), 200).body());

        assertThat(yes).isEqualTo(Map.of("mayKeepRunning", true, "reason", "", "statusChangeRequested", false));
        assertThat(unknown).isEqualTo(Map.of("mayKeepRunning", false, "reason", "Task not found",
                "statusChangeRequested", false));
        assertThat(change).containsEntry("mayKeepRunning", false).containsEntry("statusChangeRequested", true);
    }

    @Test
    void outputProduced_acceptsPng() throws Exception {
        String id = fetchTask();

        HttpResponse<String> r = client.post("/api/v3/worker/task/" + id + "/output-produced", PNG, "image/png");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(manager.previews()).singleElement().satisfies(p -> {
            assertThat(p.taskId()).isEqualTo(id);
            assertThat(p.image()).isEqualTo(PNG);
        });
    }

    @Test
    void outputProduced_refusals() throws Exception {
        String id = fetchTask();
        String path = "/api/v3/worker/task/" + id + "/output-produced";

        HttpResponse<String> unknown = client.post("/api/v3/worker/task/" + UNKNOWN + "/output-produced", PNG,
                "image/png");
        HttpResponse<String> tiff = client.post(path, PNG, "image/tiff");
        HttpResponse<String> tooBig = client.post(path, new byte[(int) V3TaskEndpoints.MAX_PREVIEW_BYTES + 1],
                "image/jpeg");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("\"Task does not exist\"");
        assertThat(tiff.statusCode()).isEqualTo(415);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(manager.previews()).isEmpty();
    }

    @Test
    void outputProduced_withoutContentLength_is411() throws Exception {
        String id = fetchTask();
        Flow.Publisher<ByteBuffer> chunked = subscriber -> HttpRequest.BodyPublishers.ofByteArray(PNG)
                .subscribe(subscriber);

        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        manager.url().resolve("api/v3/worker/task/" + id + "/output-produced"))
                .POST(HttpRequest.BodyPublishers.fromPublisher(chunked)).header("Content-Type", "image/png")
                .header("Authorization", basicOf(workerId)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(411);
    }

    private static String basicOf(String id) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((id + ":s3cret-node-1")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
