package org.flamenco.worker.manager.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.TaskUpdate;
import org.flamenco.worker.model.WorkerStatus;
import org.flamenco.worker.testing.Fuzz;

/**
 * Fuzzing the Manager's replies: every endpoint of {@link V2ManagerApi} meets random statuses, headers and bodies
 * (garbage, truncated or wrongly typed JSON, huge bodies, dropped connections). Each call either returns or throws a
 * {@link ManagerException} (which the worker's loops log and retry); nothing else may escape, since an unexpected
 * exception would end the thread that made the call.
 */
@Timeout(120)
class ManagerRepliesFuzzTest {
    private static final String WORKER_ID = "5c8f0a9b1d2e3f4a5b6c7d8e";
    private static final String TASK_ID = "0123456789abcdef01234567";
    private static final int[] STATUSES = {200, 200, 200, 201, 204, 204, 206, 301, 302, 304, 400, 401, 403, 404, 406,
        408, 409, 410, 413, 418, 423, 423, 429, 500, 502, 503, 504, 599};
    private static final String[] BODIES = {"", "{", "}", "[]", "null", "true", "42", "\"text\"", "{}",
        "{\"_id\": 5}", "{\"_id\": \"" + TASK_ID + "\"}", "{\"_id\": \"" + TASK_ID + "\", \"commands\": 7}",
        "{\"_id\": \"" + TASK_ID + "\", \"commands\": [{\"name\": 3, \"settings\": []}]}",
        "{\"_id\": \"" + TASK_ID + "\", \"commands\": [null], \"task_type\": null, \"name\": {}}",
        "{\"_id\": \"" + TASK_ID + "\", \"commands\": [{\"name\": \"echo\", \"settings\": {\"message\": [1, {}]}}]}",
        "{\"status_requested\": 42}", "{\"status_requested\": \"\"}", "{\"status_requested\": \"asleep\"}",
        "{\"status_requested\": null}", "{\"may_keep_running\": \"perhaps\"}", "{\"may_keep_running\": false}",
        "{\"may_keep_running\": false, \"reason\": 7}", "{\"may_keep_running\": true, \"status_requested\": []}",
        "{\"_id\": \"" + WORKER_ID + "\", \"secret\": null}", "{\"_id\": []}", "\u0000\u00ff\u00fe",
        "{\"a\": 1e999999}", "{\"a\": -0, \"b\": 12345678901234567890123}", "[" .repeat(3000),
        "{\"x\": \"\\ud800\"}", "<html>502 Bad Gateway</html>"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
        "text/plain", "text/html", "application/octet-stream", "application/json; charset=latin1", ""};

    private final MockWebServer server = new MockWebServer();
    private V2ManagerApi api;

    /** The reply every request gets (a redirect or a retry meets the same one), set before each call. */
    private volatile MockResponse current = new MockResponse.Builder().code(204).build();

    @BeforeEach
    void start() throws Exception {
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                return current;
            }
        });
        server.start();
        V2Settings settings = V2Settings.defaults(server.url("/").toString())
                .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(400));
        api = new V2ManagerApi(settings, new TestClock(Instant.parse("2026-01-01T00:00:00Z")));
        api.useCredentials(new Credentials(WORKER_ID, Secret.of("worker-secret-value")));
    }

    @AfterEach
    void stop() {
        api.close();
        server.close();
    }

    /** One reply and one call. */
    private record Exchange(int endpoint, MockResponse response, String description) {
    }

    @Test
    void randomReplies_toEveryEndpoint_returnOrThrowAManagerException() {
        Fuzz.forAll("Manager replies", 300, ManagerRepliesFuzzTest::exchange, Exchange::description, e -> {
            current = e.response();
            try {
                call(e.endpoint());
            } catch (ManagerException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        });
    }

    private void call(int endpoint) throws ManagerException {
        switch (endpoint) {
            case 0 -> api.register(new Registration(Secret.of("x".repeat(64)), "linux", List.of("sleep"), "node",
                    Secret.empty()));
            case 1 -> api.signOn(List.of("sleep", "debug"), "node");
            case 2 -> api.fetchTask();
            case 3 -> api.postUpdate(TaskUpdate.of(TASK_ID, ActivitySnapshot.initial(), "a line\n"));
            case 4 -> api.returnTask(TASK_ID);
            case 5 -> api.mayIRun(TASK_ID);
            case 6 -> api.statusChange();
            case 7 -> api.ackStatusChange(WorkerStatus.ASLEEP);
            case 8 -> api.signOff();
            default -> api.outputProduced("5c8f0a9b1d2e3f4a5b6c7d8e", List.of("/tmp/x.png"));
        }
    }

    private static Exchange exchange(Random r) {
        int endpoint = r.nextInt(10);
        int status = STATUSES[r.nextInt(STATUSES.length)];
        MockResponse.Builder b = new MockResponse.Builder().code(status);
        StringBuilder d = new StringBuilder("endpoint " + endpoint + ", status " + status);
        String contentType = CONTENT_TYPES[r.nextInt(CONTENT_TYPES.length)];
        if (!contentType.isEmpty()) {
            b.setHeader("Content-Type", contentType);
            d.append(", Content-Type ").append(contentType);
        }
        if (r.nextInt(4) == 0) {
            String retryAfter = Fuzz.oneOf(r, "3", "-1", "0", "soon", "Wed, 21 Oct 2015 07:28:00 GMT",
                    "99999999999999");
            b.setHeader("Retry-After", retryAfter);
            d.append(", Retry-After ").append(retryAfter);
        }
        if (status == 301 || status == 302) {
            b.setHeader("Location", Fuzz.oneOf(r, "/elsewhere", "http://[::1", "", "ftp://x/"));
        }
        int bodyKind = r.nextInt(10);
        if (bodyKind < 6) {
            String body = BODIES[r.nextInt(BODIES.length)];
            b.body(body);
            d.append(", body ").append(body);
        } else if (bodyKind < 8) {
            byte[] bytes = Fuzz.bytes(r, 500);
            b.body(new Buffer().write(bytes));
            d.append(", ").append(bytes.length).append(" random bytes");
        } else if (bodyKind < 9) {
            b.body("{\"_id\": \"" + TASK_ID + "\", \"junk\": \"" + "x".repeat(2_000_000) + "\"}");
            d.append(", a 2 MB body");
        } else {
            b.onResponseStart(new SocketEffect.CloseSocket());
            d.append(", connection dropped");
        }
        return new Exchange(endpoint, b.build(), d.toString());
    }
}
