package org.flamenco.worker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Registration, sign-on, auth, validation and state changes of the embedded Flamenco 3 Manager. */
@Timeout(30)
class EmbeddedV3ManagerWorkerTest {
    private static final List<String> TYPES = List.of("misc", "file-management");

    private EmbeddedV3Manager manager;
    private V3Client client;

    @BeforeEach
    void start() throws Exception {
        manager = new EmbeddedV3Manager().start();
        client = new V3Client(manager.url());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void version_answersWithoutAuth() throws Exception {
        Map<String, Object> doc = ManagerClient.parse(V3Client.expect(client.get("/api/v3/version"), 200).body());

        assertThat(doc).containsKeys("version", "shortversion", "name", "git");
    }

    @Test
    void register_returnsUuidAndStoresWorker() throws Exception {
        String id = client.register("node-1", TYPES);

        assertThat(V3Json.isUuid(id)).as(id).isTrue();
        assertThat(manager.worker(id)).hasValueSatisfying(w -> {
            assertThat(w.name()).isEqualTo("node-1");
            assertThat(w.supportedTaskTypes()).isEqualTo(TYPES);
        });
    }

    @Test
    void register_withV2NicknameInsteadOfName_is400() throws Exception {
        HttpResponse<String> r = client.post("/api/v3/worker/register-worker", "{\"secret\":\"x\",\"platform\":"
                + "\"linux\",\"supported_task_types\":[],\"nickname\":\"n\"}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("property \\\"name\\\" is missing");
    }

    @Test
    void signOn_returnsAwakeAndRecordsCanRestart() throws Exception {
        String id = client.register("node-1", TYPES);

        HttpResponse<String> r = client.post("/api/v3/worker/sign-on", "{\"name\":\"node-1\","
                + "\"supported_task_types\":[\"misc\"],\"software_version\":\"1.0\",\"can_restart\":true}");

        assertThat(ManagerClient.parse(V3Client.expect(r, 200).body())).isEqualTo(Map.of("status_requested",
                "awake"));
        assertThat(manager.worker(id).orElseThrow().canRestart()).isTrue();
        assertThat(manager.worker(id).orElseThrow().status()).isEqualTo("starting");
    }

    @Test
    void signOn_withNullCanRestart_is400() throws Exception {
        client.register("node-1", TYPES);

        HttpResponse<String> r = client.post("/api/v3/worker/sign-on", "{\"name\":\"node-1\","
                + "\"supported_task_types\":[\"misc\"],\"software_version\":\"1.0\",\"can_restart\":null}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("can_restart");
    }

    @Test
    void badCredentialsWithBadBody_is403NotBadRequest() throws Exception {
        client.register("node-1", TYPES);
        client.authenticateAs("00000000-0000-4000-8000-000000000000", "wrong");

        HttpResponse<String> r = client.post("/api/v3/worker/sign-on", "{not json");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("security requirements failed");
    }

    @Test
    void wrongSecret_is403() throws Exception {
        String id = client.register("node-1", TYPES);
        client.authenticateAs(id, "wrong");

        assertThat(client.get("/api/v3/worker/state").statusCode()).isEqualTo(403);
    }

    @Test
    void forgottenWorker_gets403() throws Exception {
        String id = client.join("node-1", TYPES);

        manager.forgetWorker(id);

        assertThat(client.post("/api/v3/worker/task", "").statusCode()).isEqualTo(403);
    }

    @Test
    void stateChanged_withUnknownStatus_is400() throws Exception {
        client.register("node-1", TYPES);

        HttpResponse<String> r = client.post("/api/v3/worker/state-changed", "{\"status\":\"shutdown\"}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("allowed values");
    }

    @Test
    void jsonBodyWithoutJsonContentType_is400() throws Exception {
        client.register("node-1", TYPES);

        HttpResponse<String> r = client.post("/api/v3/worker/state-changed",
                "{\"status\":\"awake\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain");

        assertThat(r.statusCode()).isEqualTo(400);
    }

    @Test
    void state_is204WithoutRequest_and200WithOne() throws Exception {
        String id = client.join("node-1", TYPES);
        assertThat(client.get("/api/v3/worker/state").statusCode()).isEqualTo(204);

        manager.requestStatusChange(id, "asleep", false);

        HttpResponse<String> r = V3Client.expect(client.get("/api/v3/worker/state"), 200);
        assertThat(ManagerClient.parse(r.body())).isEqualTo(Map.of("status_requested", "asleep"));
    }

    @Test
    void stateChangedMatchingTheRequest_clearsIt() throws Exception {
        String id = client.join("node-1", TYPES);
        manager.requestStatusChange(id, "asleep", true);

        V3Client.expect(client.post("/api/v3/worker/state-changed", "{\"status\":\"asleep\"}"), 204);

        assertThat(manager.worker(id).orElseThrow().statusRequested()).isEmpty();
        assertThat(manager.stateChanges()).extracting(EmbeddedV3Manager.StateChange::status)
                .containsExactly("awake", "asleep");
    }

    @Test
    void signOff_acknowledgesOfflineRequest_andRemembersAsleep() throws Exception {
        String offline = client.join("node-1", TYPES);
        manager.requestStatusChange(offline, "offline", false);
        V3Client.expect(client.post("/api/v3/worker/sign-off", ""), 204);
        V3Client sleeper = new V3Client(manager.url());
        String asleep = sleeper.join("node-2", TYPES);
        V3Client.expect(sleeper.post("/api/v3/worker/state-changed", "{\"status\":\"asleep\"}"), 204);

        V3Client.expect(sleeper.post("/api/v3/worker/sign-off", ""), 204);

        assertThat(manager.worker(offline).orElseThrow().statusRequested()).isEmpty();
        assertThat(manager.worker(offline).orElseThrow().status()).isEqualTo("offline");
        assertThat(manager.worker(asleep).orElseThrow().statusRequested()).isEqualTo("asleep");
        assertThat(manager.signOffs()).hasSize(2);
    }

    @Test
    void unknownPath_is404_andWrongMethod_is405() throws Exception {
        client.register("node-1", TYPES);

        assertThat(client.get("/api/v3/worker/nothing").statusCode()).isEqualTo(404);
        assertThat(client.get("/api/v3/worker/sign-on").statusCode()).isEqualTo(405);
        assertThat(client.post("/task", "").statusCode()).isEqualTo(404);
    }

    @Test
    void cannedReply_503WithRetryAfter_leavesStateUntouched() throws Exception {
        client.join("node-1", TYPES);
        manager.answerNext(1, "/api/v3/worker/task$", CannedReply.text(503, "busy").withHeader("Retry-After", "1"));

        HttpResponse<String> r = client.post("/api/v3/worker/task", "");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(client.post("/api/v3/worker/task", "").statusCode()).isEqualTo(204);
        assertThat(manager.requests("POST", "/api/v3/worker/task")).extracting(RecordedRequest::status)
                .endsWith(503, 204);
    }

    @Test
    void stopAndRestart_keepWorkers() throws Exception {
        client.join("node-1", TYPES);

        manager.stop();
        manager.restart();

        manager.awaitWorker(w -> w.name().equals("node-1"), Duration.ofSeconds(1));
        assertThat(client.post("/api/v3/worker/task", "").statusCode()).isEqualTo(204);
    }
}
