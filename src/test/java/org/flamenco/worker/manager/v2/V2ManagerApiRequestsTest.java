package org.flamenco.worker.manager.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.BuildInfo;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.TaskStatus;
import org.flamenco.worker.model.TaskUpdate;
import org.flamenco.worker.model.WorkerStatus;
import org.flamenco.worker.testing.ManagerClientFixture;

/** What goes over the wire for every endpoint (protocol-v2.md §1.2, §2, §4). */
@Timeout(20)
class V2ManagerApiRequestsTest {
    static final String WORKER_ID = "5c8f0a9b1d2e3f4a5b6c7d8e";
    static final String TASK_ID = "0123456789abcdef01234567";
    static final String SECRET = "s3cretS3cretS3cretS3cretS3cretS3cretS3cretS3cretS3cretS3cret1234";
    static final String JSON_TYPE = "application/json; charset=utf-8";

    @RegisterExtension
    final ManagerClientFixture<V2ManagerApi> wire = new ManagerClientFixture<>(V2ManagerApiRequestsTest::newApi,
            new Credentials(WORKER_ID, Secret.of(SECRET)));
    private final MockWebServer server = wire.server();
    private final V2ManagerApi api = wire.api();

    private static V2ManagerApi newApi(String url) {
        V2Settings settings = V2Settings.defaults(url).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
        return new V2ManagerApi(settings, new TestClock(Instant.parse("2026-01-01T00:00:00Z")));
    }

    private void enqueue(int code) {
        server.enqueue(new MockResponse.Builder().code(code).build());
    }

    private static String body(RecordedRequest r) {
        return r.getBody() == null ? "" : r.getBody().utf8();
    }

    @Test
    void register_postsRegistrationWithoutAnyAuthorizationWhenNoRegistrationSecret() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("{\"_id\":\"" + WORKER_ID + "\",\"nickname\":\"n\"}")
                .build());

        String id = api.register(new Registration(Secret.of(SECRET), "linux", List.of("sleep", "blender-render"),
                "node-01", Secret.of("  ")));

        RecordedRequest r = wire.take();
        assertThat(id).isEqualTo(WORKER_ID);
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/register-worker");
        assertThat(r.getHeaders().get("Authorization")).isNull();
        assertThat(r.getHeaders().get("User-Agent")).isEqualTo(BuildInfo.userAgent());
        assertThat(r.getHeaders().get("Content-Type")).isEqualTo(JSON_TYPE);
        assertThat(body(r)).isEqualTo("{\"secret\":\"" + SECRET + "\",\"platform\":\"linux\","
                + "\"supported_task_types\":[\"sleep\",\"blender-render\"],\"nickname\":\"node-01\"}");
    }

    @Test
    void signOn_postsTaskTypesAndNicknameWithBasicAuth() throws Exception {
        enqueue(204);

        api.signOn(List.of("sleep", "file-management"), "node-01");

        RecordedRequest r = wire.take();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/sign-on");
        assertThat(r.getHeaders().get("Content-Type")).isEqualTo(JSON_TYPE);
        assertThat(body(r)).isEqualTo("{\"supported_task_types\":[\"sleep\",\"file-management\"],"
                + "\"nickname\":\"node-01\"}");
        assertThat(r.getHeaders().get("Content-Length")).isEqualTo(String.valueOf(r.getBodySize()));
        assertThat(r.getHeaders().get("Transfer-Encoding")).isNull();
        wire.assertBasicAuthAndAgent(r);
    }

    @Test
    void fetchTask_isAnEmptyPostWithContentLengthZero() throws Exception {
        enqueue(204);

        api.fetchTask();

        wire.assertEmptyPost(wire.take(), "/task");
    }

    @Test
    void postUpdate_writesTheFullSnapshotWithIntegerLiteralsInSpecOrder() throws Exception {
        enqueue(204);
        Map<String, Double> timing = new LinkedHashMap<>();
        timing.put("rendering", 30.2);
        timing.put("total", 31.0);
        ActivitySnapshot s = new ActivitySnapshot(TaskStatus.COMPLETED, "Task completed", 2, 100, 12, timing);

        api.postUpdate(TaskUpdate.of(TASK_ID, s, "line one\nline two"));

        RecordedRequest r = wire.take();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/tasks/" + TASK_ID + "/update");
        assertThat(r.getHeaders().get("Content-Type")).isEqualTo(JSON_TYPE);
        assertThat(body(r)).isEqualTo("{\"task_status\":\"completed\",\"activity\":\"Task completed\","
                + "\"current_command_idx\":2,\"task_progress_percentage\":100,\"command_progress_percentage\":12,"
                + "\"metrics\":{\"timing\":{\"rendering\":30.2,\"total\":31.0}},\"log\":\"line one\\nline two\"}");
        wire.assertBasicAuthAndAgent(r);
    }

    @Test
    void postUpdate_withoutStatusMetricsOrLog_omitsThoseFieldsButKeepsTheIntegers() throws Exception {
        enqueue(204);

        api.postUpdate(TaskUpdate.of(TASK_ID, ActivitySnapshot.initial(), null));

        assertThat(body(wire.take())).isEqualTo("{\"activity\":\"\",\"current_command_idx\":0,"
                + "\"task_progress_percentage\":0,\"command_progress_percentage\":0}");
    }

    @Test
    void postUpdate_logOnly_sendsOnlyTheLogField() throws Exception {
        enqueue(204);

        api.postUpdate(TaskUpdate.of(TASK_ID, null, "2020-03-12T10:05:00.500000+00:00: stopped"));

        assertThat(body(wire.take())).isEqualTo("{\"log\":\"2020-03-12T10:05:00.500000+00:00: stopped\"}");
    }

    @Test
    void postUpdate_neverContainsManagerOwnedFieldsOrFractionalProgress() throws Exception {
        enqueue(204);
        ActivitySnapshot s = new ActivitySnapshot(TaskStatus.ACTIVE, "x", 1, 12, 50, Map.of("a", 1.5));

        api.postUpdate(TaskUpdate.of(TASK_ID, s, "log"));

        String sent = body(wire.take());
        assertThat(sent).doesNotContain("\"_id\"", "task_id", "\"worker\"", "log_tail", "received_on_manager",
                "failed_by_workers", "12.0", "50.0", "1.0", "e1");
        assertThat(sent).contains("\"task_progress_percentage\":12", "\"command_progress_percentage\":50",
                "\"current_command_idx\":1");
    }

    @Test
    void consecutiveUpdates_eachCarryExactlyTheirOwnBodyWhateverTheirSizes() throws Exception {
        String big = "b".repeat(400_000); // grows the reused body buffer past what is kept
        for (String log : List.of("first update", big, "x", "the fourth, shorter than the first")) {
            enqueue(204);
            api.postUpdate(TaskUpdate.of(TASK_ID, null, log));
        }

        for (String log : List.of("first update", big, "x", "the fourth, shorter than the first")) {
            RecordedRequest r = wire.take();
            assertThat(body(r)).isEqualTo("{\"log\":\"" + log + "\"}");
            assertThat(r.getHeaders().get("Content-Length")).isEqualTo(Integer.toString(body(r).length()));
        }
    }

    @Test
    void returnTask_isAnEmptyPostToTheTaskReturnPath() throws Exception {
        enqueue(204);

        api.returnTask(TASK_ID);

        wire.assertEmptyPost(wire.take(), "/tasks/" + TASK_ID + "/return");
    }

    @Test
    void mayIRun_isAGetWithBasicAuth() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("{\"may_keep_running\":true}").build());

        api.mayIRun(TASK_ID);

        RecordedRequest r = wire.take();
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/may-i-run/" + TASK_ID);
        wire.assertBasicAuthAndAgent(r);
    }

    @Test
    void statusChange_isAGetWithBasicAuth() throws Exception {
        enqueue(204);

        api.statusChange();

        RecordedRequest r = wire.take();
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/status-change");
        wire.assertBasicAuthAndAgent(r);
    }

    @Test
    void ackStatusChange_isAnEmptyPostNamingTheStatus() throws Exception {
        enqueue(204);

        api.ackStatusChange(WorkerStatus.ASLEEP);

        wire.assertEmptyPost(wire.take(), "/ack-status-change/asleep");
    }

    @Test
    void signOff_isAnEmptyPost() throws Exception {
        enqueue(204);

        api.signOff();

        wire.assertEmptyPost(wire.take(), "/sign-off");
    }

    @Test
    void outputProduced_postsThePaths() throws Exception {
        enqueue(204);

        api.outputProduced("5c8f0a9b1d2e3f4a5b6c7d8e", List.of("/render/0001.png", "/render/0002.png"));

        RecordedRequest r = wire.take();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/output-produced");
        assertThat(r.getHeaders().get("Content-Type")).isEqualTo(JSON_TYPE);
        assertThat(body(r)).isEqualTo("{\"paths\":[\"/render/0001.png\",\"/render/0002.png\"]}");
        wire.assertBasicAuthAndAgent(r);
    }

    @Test
    void pathPrefixOfTheBaseUrlIsKept() throws Exception {
        enqueue(204);
        enqueue(204);
        try (V2ManagerApi prefixed = newApi(server.url("/flamenco/").toString());
             V2ManagerApi noSlash = newApi(server.url("/flamenco").toString())) {
            prefixed.useCredentials(new Credentials(WORKER_ID, Secret.of(SECRET)));
            noSlash.useCredentials(new Credentials(WORKER_ID, Secret.of(SECRET)));

            prefixed.fetchTask();
            noSlash.returnTask(TASK_ID);
        }

        assertThat(wire.take().getUrl().encodedPath()).isEqualTo("/flamenco/task");
        assertThat(wire.take().getUrl().encodedPath()).isEqualTo("/flamenco/tasks/" + TASK_ID + "/return");
    }

    @Test
    void rootUrlWithoutSlash_resolvesEndpointsAtTheRoot() throws Exception {
        enqueue(204);
        String root = "http://" + server.getHostName() + ":" + server.getPort();
        try (V2ManagerApi rootApi = newApi(root)) {
            rootApi.fetchTask();
        }

        assertThat(wire.take().getUrl().encodedPath()).isEqualTo("/task");
    }

    @Test
    void userInfoQueryAndFragmentOfTheBaseUrl_areDropped() throws Exception {
        enqueue(204);
        String url = "http://someone:pw@" + server.getHostName() + ":" + server.getPort() + "/p/?x=1#frag";
        try (V2ManagerApi odd = newApi(url)) {
            odd.useCredentials(new Credentials(WORKER_ID, Secret.of(SECRET)));
            assertThat(odd.baseUrl()).doesNotContain("someone", "pw@", "x=1", "frag");

            odd.signOff();
        }

        RecordedRequest r = wire.take();
        assertThat(r.getTarget()).isEqualTo("/p/sign-off");
        wire.assertBasicAuthAndAgent(r);
    }

    @Test
    void notAnHttpUrl_isRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> newApi("ftp://mgr/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http");
    }

    @Test
    void credentialsSwappedAtRuntime_areUsedByTheNextRequest() throws Exception {
        enqueue(204);
        String newId = "aaaaaaaaaaaaaaaaaaaaaaaa";

        api.useCredentials(new Credentials(newId, Secret.of("other-secret")));
        api.signOff();

        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (newId + ":other-secret").getBytes(StandardCharsets.UTF_8));
        assertThat(wire.take().getHeaders().get("Authorization")).isEqualTo(expected);
    }
}
