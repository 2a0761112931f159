package org.flamenco.worker.manager.v3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.manager.v2.V2Settings;
import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.BuildInfo;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.TaskStatus;
import org.flamenco.worker.model.TaskUpdate;
import org.flamenco.worker.model.WorkerStatus;
import org.flamenco.worker.testing.ManagerClientFixture;

/**
 * Every request the worker can send to a Flamenco 3 Manager, pinned: method, path, auth, headers, exact JSON keys and
 * types (protocol-v3.md §1–§3, §11: no nulls, mixed {@code taskStatus}/{@code steps_completed} spelling).
 */
@Timeout(20)
class V3ManagerApiRequestsTest {
    static final String WORKER_ID = "2f0e3c7a-8d1b-4e5f-9a6b-7c8d9e0f1a2b";
    static final String TASK_ID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
    static final String SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @RegisterExtension
    final ManagerClientFixture<V3ManagerApi> wire = new ManagerClientFixture<>(V3ManagerApiRequestsTest::newApi,
            new Credentials(WORKER_ID, Secret.of(SECRET)));
    private final MockWebServer server = wire.server();
    private final V3ManagerApi api = wire.api();
    private final ObjectMapper json = new ObjectMapper();

    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};

    static V3ManagerApi newApi(String url) {
        return newApi(url, true, image -> image.toString().endsWith(".exr") ? Optional.empty() : Optional.of(JPEG));
    }

    static V3ManagerApi newApi(String url, boolean canRestart, PreviewEncoder previews) {
        return new V3ManagerApi(V2Settings.defaults(url).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)),
                canRestart, previews, new SystemClock());
    }

    private void enqueue(int code, String body) {
        MockResponse.Builder b = new MockResponse.Builder().code(code);
        if (body != null) {
            b.body(body).addHeader("Content-Type", "application/json");
        }
        server.enqueue(b.build());
    }

    private JsonNode jsonBody(RecordedRequest r) throws Exception {
        assertThat(r.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(r.getHeaders().get("Content-Length")).isEqualTo(String.valueOf(r.getBodySize()));
        String text = r.getBody().utf8();
        assertThat(text).doesNotContain("null");
        return json.readTree(text);
    }

    private static List<String> keys(JsonNode node) {
        List<String> out = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void register_postsSecretPlatformTaskTypesAndNameWithoutAuthorization() throws Exception {
        enqueue(200, "{\"uuid\":\"" + WORKER_ID + "\",\"name\":\"node-01\",\"status\":\"\"}");

        String uuid = api.register(new Registration(Secret.of(SECRET), "linux", List.of("blender", "misc"),
                "node-01", Secret.of("ignored-in-v3")));

        RecordedRequest r = wire.take();
        assertThat(uuid).isEqualTo(WORKER_ID);
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v3/worker/register-worker");
        assertThat(r.getHeaders().get("Authorization")).isNull();
        assertThat(r.getHeaders().get("User-Agent")).isEqualTo(BuildInfo.userAgent());
        JsonNode body = jsonBody(r);
        assertThat(keys(body)).containsExactly("secret", "platform", "supported_task_types", "name");
        assertThat(body.get("secret").asText()).isEqualTo(SECRET);
        assertThat(body.get("platform").asText()).isEqualTo("linux");
        assertThat(body.get("supported_task_types").isArray()).isTrue();
        assertThat(body.get("supported_task_types").get(1).asText()).isEqualTo("misc");
        assertThat(body.get("name").asText()).isEqualTo("node-01");
    }

    @Test
    void signOn_postsNameTaskTypesVersionAndCanRestartAsBoolean() throws Exception {
        enqueue(200, "{\"status_requested\":\"awake\"}");

        Optional<WorkerStatus> requested = api.signOn(List.of("blender"), "node-01");

        RecordedRequest r = wire.take();
        assertThat(requested).contains(WorkerStatus.AWAKE);
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v3/worker/sign-on");
        wire.assertBasicAuthAndAgent(r);
        JsonNode body = jsonBody(r);
        assertThat(keys(body)).containsExactly("name", "supported_task_types", "software_version", "can_restart");
        assertThat(body.get("name").asText()).isEqualTo("node-01");
        assertThat(body.get("software_version").asText()).isEqualTo(BuildInfo.version());
        assertThat(body.get("can_restart").isBoolean()).isTrue();
        assertThat(body.get("can_restart").booleanValue()).isTrue();
    }

    @Test
    void signOn_withoutARestartCodeSaysItCannotRestart() throws Exception {
        V3ManagerApi noRestart = newApi(server.url("/").toString(), false, image -> Optional.empty());
        noRestart.useCredentials(new Credentials(WORKER_ID, Secret.of(SECRET)));
        enqueue(200, "{\"status_requested\":\"asleep\"}");

        noRestart.signOn(List.of("blender"), "node-01");

        JsonNode body = jsonBody(wire.take());
        assertThat(body.get("can_restart").isBoolean()).isTrue();
        assertThat(body.get("can_restart").booleanValue()).isFalse();
        noRestart.close();
    }

    @Test
    void signOff_isAnEmptyAuthenticatedPost() throws Exception {
        enqueue(204, null);

        api.signOff();

        wire.assertEmptyPost(wire.take(), "/api/v3/worker/sign-off");
    }

    @Test
    void fetchTask_isAnEmptyAuthenticatedPost() throws Exception {
        enqueue(204, null);

        api.fetchTask();

        wire.assertEmptyPost(wire.take(), "/api/v3/worker/task");
    }

    @Test
    void workerState_isAnAuthenticatedGet() throws Exception {
        enqueue(204, null);

        api.statusChange();

        RecordedRequest r = wire.take();
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v3/worker/state");
        wire.assertBasicAuthAndAgent(r);
    }

    @Test
    void stateChanged_postsStatus() throws Exception {
        enqueue(204, null);

        api.ackStatusChange(WorkerStatus.ASLEEP);

        RecordedRequest r = wire.take();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v3/worker/state-changed");
        wire.assertBasicAuthAndAgent(r);
        assertThat(r.getBody().utf8()).isEqualTo("{\"status\":\"asleep\"}");
        jsonBody(r);
    }

    @Test
    void mayIRun_isAnAuthenticatedGetOnTheTask() throws Exception {
        enqueue(200, "{\"mayKeepRunning\":true,\"reason\":\"\",\"statusChangeRequested\":false}");

        api.mayIRun(TASK_ID);

        RecordedRequest r = wire.take();
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v3/worker/task/" + TASK_ID + "/may-i-run");
        wire.assertBasicAuthAndAgent(r);
    }

    @Test
    void update_startUsesCamelCaseTaskStatusAndActivity() throws Exception {
        enqueue(204, null);

        api.postUpdate(TaskUpdate.of(TASK_ID, snapshot(TaskStatus.ACTIVE, "Started"), null));

        RecordedRequest r = wire.take();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v3/worker/task/" + TASK_ID);
        wire.assertBasicAuthAndAgent(r);
        JsonNode body = jsonBody(r);
        assertThat(keys(body)).containsExactly("taskStatus", "activity");
        assertThat(body.get("taskStatus").asText()).isEqualTo("active");
        assertThat(body.get("activity").asText()).isEqualTo("Started");
    }

    @Test
    void update_progressSendsStepsCompletedInSnakeCaseAsAJsonInteger() throws Exception {
        enqueue(204, null);
        enqueue(204, null);

        api.postUpdate(TaskUpdate.of(TASK_ID, snapshot(TaskStatus.ACTIVE, "Started"), null));
        api.postUpdate(TaskUpdate.of(TASK_ID, snapshot(TaskStatus.ACTIVE, "Progress").withStepsCompleted(3), null));

        wire.take();
        RecordedRequest r = wire.take();
        assertThat(r.getBody().utf8()).isEqualTo("{\"activity\":\"Progress\",\"steps_completed\":3}");
        assertThat(jsonBody(r).get("steps_completed").isInt()).isTrue();
    }

    @Test
    void update_neverSendsV2KeysOrSoftFailed() throws Exception {
        enqueue(204, null);

        api.postUpdate(TaskUpdate.of(TASK_ID, snapshot(TaskStatus.FAILED, "Failed: boom"), "line 1\nline 2"));

        JsonNode body = jsonBody(wire.take());
        assertThat(keys(body)).containsExactly("taskStatus", "activity", "log");
        assertThat(body.get("taskStatus").asText()).isEqualTo("failed");
        assertThat(body.get("log").asText()).isEqualTo("line 1\nline 2");
    }

    @Test
    void update_logOnlySendsOnlyLog() throws Exception {
        enqueue(204, null);

        api.postUpdate(TaskUpdate.of(TASK_ID, null, "a \"quoted\" line\nnext"));

        JsonNode body = jsonBody(wire.take());
        assertThat(keys(body)).containsExactly("log");
        assertThat(body.get("log").asText()).isEqualTo("a \"quoted\" line\nnext");
    }

    @Test
    void update_leavesOutAStatusTheManagerAlreadyAccepted() throws Exception {
        enqueue(204, null);
        enqueue(204, null);
        enqueue(204, null);

        api.postUpdate(TaskUpdate.of(TASK_ID, snapshot(TaskStatus.ACTIVE, "Started"), null));
        api.postUpdate(TaskUpdate.of(TASK_ID, snapshot(TaskStatus.ACTIVE, "Rendering"), "x"));
        api.postUpdate(TaskUpdate.of(TASK_ID, snapshot(TaskStatus.COMPLETED, "Completed"), null));

        assertThat(keys(jsonBody(wire.take()))).containsExactly("taskStatus", "activity");
        assertThat(keys(jsonBody(wire.take()))).containsExactly("activity", "log");
        JsonNode last = jsonBody(wire.take());
        assertThat(last.get("taskStatus").asText()).isEqualTo("completed");
    }

    @Test
    void update_statusIsSentAgainAfterARefusal() throws Exception {
        enqueue(503, null);
        enqueue(204, null);
        TaskUpdate start = TaskUpdate.of(TASK_ID, snapshot(TaskStatus.ACTIVE, "Started"), null);

        try {
            api.postUpdate(start);
        } catch (org.flamenco.worker.manager.ManagerException expected) {
            // retried below, as the sender does
        }
        api.postUpdate(start);

        wire.take();
        assertThat(jsonBody(wire.take()).get("taskStatus").asText()).isEqualTo("active");
    }

    @Test
    void outputProduced_postsJpegBytesOfTheNewestPathWithLengthAndType() throws Exception {
        server.enqueue(new MockResponse.Builder().code(202).build());
        byte[] jpeg = JPEG;
        List<String> asked = new java.util.ArrayList<>();
        V3ManagerApi recording = newApi(server.url("/").toString(), true, image -> {
            asked.add(image.toString());
            return Optional.of(JPEG);
        });
        recording.useCredentials(new Credentials(WORKER_ID, Secret.of(SECRET)));

        recording.outputProduced(TASK_ID, List.of("/render/0001.png", "/render/0002.png"));

        RecordedRequest r = wire.take();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v3/worker/task/" + TASK_ID + "/output-produced");
        wire.assertBasicAuthAndAgent(r);
        assertThat(r.getHeaders().get("Content-Type")).isEqualTo("image/jpeg");
        assertThat(r.getHeaders().get("Content-Length")).isEqualTo(String.valueOf(jpeg.length));
        assertThat(r.getBody().toByteArray()).isEqualTo(jpeg);
        assertThat(asked).containsExactly("/render/0002.png");
        recording.close();
    }

    @Test
    void outputProduced_sendsNothingForAFormatTheEncoderSkips() throws Exception {
        api.outputProduced(TASK_ID, List.of("/render/0001.exr"));

        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void pathPrefixOfTheManagerUrlIsKept() throws Exception {
        V3ManagerApi prefixed = newApi(server.url("/flamenco/").toString());
        prefixed.useCredentials(new Credentials(WORKER_ID, Secret.of(SECRET)));
        enqueue(204, null);

        prefixed.fetchTask();

        assertThat(wire.take().getUrl().encodedPath()).isEqualTo("/flamenco/api/v3/worker/task");
        prefixed.close();
    }

    static ActivitySnapshot snapshot(TaskStatus status, String activity) {
        return new ActivitySnapshot(status, activity, 0, 0, 0, Map.of("render", 1.5));
    }
}
