package org.flamenco.worker.manager.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.TaskUpdate;
import org.flamenco.worker.model.WorkerStatus;
import org.flamenco.worker.testing.LogCapture;
import org.flamenco.worker.testing.ManagerClientFixture;

/**
 * What monitoring and the log see of the v2 client: one observation per request, labelled with the endpoint whose
 * ids are replaced by {@code {id}} (the {@code /metrics} label), with the HTTP status or 0 when no answer came; the
 * debug lines under the client's own logger name.
 */
@Timeout(20)
class V2ManagerApiMonitoringTest {
    private static final String TASK_ID = "0123456789abcdef01234567";

    @RegisterExtension
    final ManagerClientFixture<V2ManagerApi> wire = new ManagerClientFixture<>(V2ManagerApiMonitoringTest::newApi,
            new Credentials("5c8f0a9b1d2e3f4a5b6c7d8e", Secret.of("worker-secret-value")));
    private final MockWebServer server = wire.server();
    private final V2ManagerApi api = wire.api();
    private final List<String> observed = new CopyOnWriteArrayList<>();

    private static V2ManagerApi newApi(String url) {
        V2Settings settings = V2Settings.defaults(url).withTimeouts(Duration.ofMillis(500), Duration.ofMillis(400));
        return new V2ManagerApi(settings, new TestClock(Instant.parse("2026-01-01T00:00:00Z")));
    }

    private void answer(int code, String body) {
        server.enqueue(new MockResponse.Builder().code(code).body(body).build());
    }

    @Test
    void everyEndpointIsObservedWithItsIdsReplacedAndItsStatus() throws Exception {
        api.observeRequests((endpoint, status, nanos) -> observed.add(endpoint + " " + status));
        answer(204, "");
        answer(204, "");
        answer(200, "{\"may_keep_running\":true}");
        answer(204, "");
        answer(204, "");
        answer(409, "not yours");

        api.fetchTask();
        api.statusChange();
        api.mayIRun(TASK_ID);
        api.ackStatusChange(WorkerStatus.ASLEEP);
        api.returnTask(TASK_ID);
        catchThrowableOfType(ManagerException.class,
                () -> api.postUpdate(TaskUpdate.of(TASK_ID, ActivitySnapshot.initial(), null)));

        assertThat(observed).containsExactly("POST /task 204", "GET /status-change 204", "GET /may-i-run/{id} 200",
                "POST /ack-status-change/{id} 204", "POST /tasks/{id}/return 204", "POST /tasks/{id}/update 409");
    }

    @Test
    void aRequestWithoutAnswer_isObservedWithStatusZero() {
        String deadUrl = server.url("/").toString();
        server.close();

        try (V2ManagerApi dead = newApi(deadUrl)) {
            dead.observeRequests((endpoint, status, nanos) -> observed.add(endpoint + " " + status));
            catchThrowableOfType(ManagerException.class, dead::signOff);
        }

        assertThat(observed).containsExactly("POST /sign-off 0");
    }

    @Test
    void debugLines_areWrittenUnderTheClientsOwnLoggerName() throws Exception {
        answer(204, "");

        try (LogCapture log = new LogCapture(V2ManagerApi.class.getName())) {
            api.signOff();

            assertThat(log.messages()).anySatisfy(m -> assertThat(m).startsWith("POST http").endsWith("/sign-off"))
                    .anySatisfy(m -> assertThat(m).matches("POST /sign-off answered 204 in \\d+ ms"));
        }
    }
}
