package org.flamenco.worker.manager.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.flamenco.worker.manager.v3.V3ManagerApiRequestsTest.SECRET;
import static org.flamenco.worker.manager.v3.V3ManagerApiRequestsTest.TASK_ID;
import static org.flamenco.worker.manager.v3.V3ManagerApiRequestsTest.WORKER_ID;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.TaskStatus;
import org.flamenco.worker.model.TaskUpdate;
import org.flamenco.worker.testing.LogCapture;
import org.flamenco.worker.testing.ManagerClientFixture;

/**
 * What the rest of the worker sees of the Flamenco 3 client besides the answers: the reachable-listeners (the update
 * sender's early wake-up), the request observers ({@code /metrics} labels with the UUIDs replaced), and logs and
 * exception texts without the worker secret or the Basic value even when the Manager echoes them.
 */
@Timeout(20)
class V3ManagerApiMonitoringTest {
    @RegisterExtension
    final ManagerClientFixture<V3ManagerApi> wire = new ManagerClientFixture<>(V3ManagerApiRequestsTest::newApi,
            new Credentials(WORKER_ID, Secret.of(SECRET)));
    private final V3ManagerApi api = wire.api();

    private void answer(int code, String body) {
        wire.server().enqueue(new MockResponse.Builder().code(code).body(body).build());
    }

    @ParameterizedTest(name = "HTTP {0} -> reachable {1}")
    @CsvSource({"204, 1", "400, 1", "403, 1", "404, 1", "409, 1", "408, 0", "429, 0", "503, 0", "500, 0", "502, 0"})
    void reachableListeners_runAfterAnswersBelow500ThatAreNotBusy(int status, int expected) {
        AtomicInteger reachable = new AtomicInteger();
        api.onReachable(reachable::incrementAndGet);
        answer(status, "");

        catchThrowableOfType(ManagerException.class, api::signOff);

        assertThat(reachable).hasValue(expected);
    }

    @Test
    void reachableListeners_doNotRunWithoutAnAnswer() {
        AtomicInteger reachable = new AtomicInteger();
        String deadUrl = wire.server().url("/").toString();
        wire.server().close();

        try (V3ManagerApi dead = V3ManagerApiRequestsTest.newApi(deadUrl)) {
            dead.onReachable(reachable::incrementAndGet);
            catchThrowableOfType(ManagerException.class, dead::signOff);
        }

        assertThat(reachable).hasValue(0);
    }

    @Test
    void everyEndpointIsObservedWithTheUuidsReplacedAndItsStatus() throws Exception {
        List<String> observed = new CopyOnWriteArrayList<>();
        api.observeRequests((endpoint, status, nanos) -> observed.add(endpoint + " " + status));
        answer(204, "");
        answer(204, "");
        answer(200, "{\"mayKeepRunning\":true}");
        answer(204, "");

        api.fetchTask();
        api.statusChange();
        api.mayIRun(TASK_ID);
        api.postUpdate(TaskUpdate.of(TASK_ID, V3ManagerApiRequestsTest.snapshot(TaskStatus.ACTIVE, "Started"), null));

        assertThat(observed).containsExactly("POST /api/v3/worker/task 204", "GET /api/v3/worker/state 204",
                "GET /api/v3/worker/task/{id}/may-i-run 200", "POST /api/v3/worker/task/{id} 204");
    }

    @Test
    void secretsEchoedByTheManager_areAbsentFromDebugLogsAndExceptionMessages() {
        String newSecret = "NewSecretNewSecretNewSecretNewSecretNewSecretNewSecretNewSecret1";
        String basic = Base64.getEncoder().encodeToString((WORKER_ID + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        String echo = "echo " + SECRET + " " + newSecret + " Basic " + basic;
        answer(400, echo);
        answer(500, echo);
        List<String> texts = new ArrayList<>();

        try (LogCapture log = new LogCapture(V3ManagerApi.class.getName())) {
            Registration registration = new Registration(Secret.of(newSecret), "linux", List.of("misc"), "node",
                    Secret.empty());
            texts.add(catchThrowableOfType(ManagerException.class, () -> api.register(registration)).getMessage());
            texts.add(catchThrowableOfType(ManagerException.class, api::fetchTask).getMessage());
            texts.addAll(log.messages());
        }

        assertThat(texts).hasSizeGreaterThan(5).anySatisfy(t -> assertThat(t).contains("register-worker", "***"));
        assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(SECRET, newSecret, basic));
    }
}
