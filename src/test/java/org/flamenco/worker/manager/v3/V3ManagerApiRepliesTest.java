package org.flamenco.worker.manager.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.flamenco.worker.manager.FetchResult;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerOutcome;
import org.flamenco.worker.manager.MayKeepRunning;
import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.CommandSpec;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.TaskCommands;
import org.flamenco.worker.model.TaskStatus;
import org.flamenco.worker.model.TaskUpdate;
import org.flamenco.worker.model.WorkerStatus;
import org.flamenco.worker.testing.ManagerClientFixture;

/** How the client reads every documented answer of a Flamenco 3 Manager (protocol-v3.md §2, §11). */
@Timeout(20)
class V3ManagerApiRepliesTest {
    private static final String WORKER_ID = V3ManagerApiRequestsTest.WORKER_ID;
    private static final String TASK_ID = V3ManagerApiRequestsTest.TASK_ID;
    private static final String SECRET = V3ManagerApiRequestsTest.SECRET;

    @RegisterExtension
    final ManagerClientFixture<V3ManagerApi> wire = new ManagerClientFixture<>(V3ManagerApiRequestsTest::newApi,
            new Credentials(WORKER_ID, Secret.of(SECRET)));
    private final MockWebServer server = wire.server();
    private final V3ManagerApi api = wire.api();

    private void answer(int code, String body) {
        MockResponse.Builder b = new MockResponse.Builder().code(code);
        if (body != null) {
            b.body(body).addHeader("Content-Type", "application/json");
        }
        server.enqueue(b.build());
    }

    private static TaskUpdate update() {
        return TaskUpdate.of(TASK_ID, V3ManagerApiRequestsTest.snapshot(TaskStatus.ACTIVE, "Started"), null);
    }

    @Test
    void assignedTask_isReadWithUuidAndCommandsWithParameters() throws Exception {
        answer(200, "{\"uuid\":\"" + TASK_ID + "\",\"job\":\"j-uuid\",\"name\":\"render-1\",\"status\":\"active\","
                + "\"priority\":50,\"job_priority\":50,\"job_type\":\"simple-blender-render\","
                + "\"task_type\":\"blender\","
                + "\"commands\":[{\"name\":\"blender-render\",\"parameters\":{\"exe\":\"blender\",\"args\":[\"-f\",1]},"
                + "\"total_step_count\":3}],\"steps_completed\":0,\"steps_total\":3}");

        FetchResult result = api.fetchTask();

        assertThat(result).isInstanceOf(FetchResult.Assigned.class);
        Task task = ((FetchResult.Assigned) result).task();
        assertThat(task.id()).isEqualTo(TASK_ID);
        assertThat(task.taskType()).isEqualTo("blender");
        assertThat(task.jobType()).isEqualTo("simple-blender-render");
        assertThat(task.commands()).isEqualTo(TaskCommands.of(List.of(new CommandSpec("blender-render",
                Map.of("exe", "blender", "args", List.of("-f", 1)), 3))));
    }

    @Test
    void assignedTaskWithoutUuid_isABadReply() {
        answer(200, "{\"_id\":\"0123456789abcdef01234567\",\"commands\":[]}");

        assertThatThrownBy(() -> api.fetchTask()).isInstanceOfSatisfying(ManagerException.class,
                e -> assertThat(e.kind()).isEqualTo(ManagerException.Kind.BAD_REPLY));
    }

    @Test
    void noTask_is204() throws Exception {
        answer(204, null);

        assertThat(api.fetchTask()).isInstanceOf(FetchResult.NoTask.class);
    }

    @Test
    void locked_carriesTheRequestedStatus() throws Exception {
        answer(423, "{\"status_requested\":\"offline\"}");

        FetchResult result = api.fetchTask();

        assertThat(result).isEqualTo(new FetchResult.StatusChangeRequested(WorkerStatus.OFFLINE));
    }

    @Test
    void fetchConflict_meansNotAwake() throws Exception {
        answer(409, "{\"code\":409,\"message\":\"worker is not awake\"}");

        assertThat(api.fetchTask()).isInstanceOf(FetchResult.NotAwake.class);
    }

    @Test
    void busy_503WithRetryAfterZeroIsBusyAndNotRetriedByTheClient() {
        server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "0")
                .body("{\"message\":\"database busy\"}").build());
        answer(204, null);

        assertThatThrownBy(() -> api.fetchTask()).isInstanceOfSatisfying(ManagerException.class, e -> {
            assertThat(e.outcome()).isEqualTo(ManagerOutcome.BUSY);
            assertThat(e.retryAfter()).contains(Duration.ZERO);
        });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void busy_retryAfterIsHandedToTheCallerOnEveryEndpoint() {
        server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "7").build());
        server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "99999999999").build());
        server.enqueue(new MockResponse.Builder().code(503).build());

        assertThatThrownBy(() -> api.postUpdate(update())).isInstanceOfSatisfying(ManagerException.class,
                e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)));
        assertThatThrownBy(() -> api.statusChange()).isInstanceOfSatisfying(ManagerException.class,
                e -> assertThat(e.retryAfter()).contains(Duration.ofMinutes(5)));
        assertThatThrownBy(() -> api.signOff()).isInstanceOfSatisfying(ManagerException.class, e -> {
            assertThat(e.outcome()).isEqualTo(ManagerOutcome.BUSY);
            assertThat(e.retryAfter()).isEmpty();
        });
    }

    @Test
    void authFailure_is403AndNeverLeaksTheSecret() {
        answer(403, "{\"message\":\"security requirements failed: " + SECRET + "\"}");

        assertThatThrownBy(() -> api.fetchTask()).isInstanceOfSatisfying(ManagerException.class, e -> {
            assertThat(e.outcome()).isEqualTo(ManagerOutcome.AUTH_FAILED);
            assertThat(e.getMessage()).doesNotContain(SECRET).contains("***");
        });
    }

    @Test
    void signOn_returnsTheStatusToEnter() throws Exception {
        answer(200, "{\"status_requested\":\"asleep\"}");

        assertThat(api.signOn(List.of("misc"), "n")).contains(WorkerStatus.ASLEEP);
    }

    @Test
    void signOnWithoutStatus_isABadReply() {
        answer(200, "{}");

        assertThatThrownBy(() -> api.signOn(List.of("misc"), "n"))
                .isInstanceOfSatisfying(ManagerException.class,
                        e -> assertThat(e.kind()).isEqualTo(ManagerException.Kind.BAD_REPLY));
    }

    @Test
    void registrationReplyThatBreaksTheSchemaIsStillAccepted() throws Exception {
        answer(200, "{\"uuid\":\"" + WORKER_ID + "\",\"status\":\"\",\"address\":\"\",\"extra\":[1]}");

        assertThat(api.register(registration())).isEqualTo(WORKER_ID);
    }

    @Test
    void registrationReplyWithObjectIdIsABadReply() {
        answer(200, "{\"_id\":\"0123456789abcdef01234567\"}");

        assertThatThrownBy(() -> api.register(registration()))
                .isInstanceOfSatisfying(ManagerException.class,
                        e -> assertThat(e.kind()).isEqualTo(ManagerException.Kind.BAD_REPLY));
    }

    @Test
    void workerState_204IsNothingAnd200IsTheRequest() throws Exception {
        answer(204, null);
        answer(200, "{\"status_requested\":\"restart\"}");

        assertThat(api.statusChange()).isEmpty();
        assertThat(api.statusChange()).contains(WorkerStatus.RESTART);
    }

    @Test
    void mayIRun_readsStatusChangeRequested() throws Exception {
        answer(200, "{\"mayKeepRunning\":false,\"reason\":\"state change\",\"statusChangeRequested\":true}");

        MayKeepRunning a = api.mayIRun(TASK_ID);

        assertThat(a).isEqualTo(new MayKeepRunning(false, "state change", true, Optional.empty()));
    }

    @Test
    void mayIRun_statusChangeRequestedStopsTheTaskEvenIfTheManagerSaidTrue() throws Exception {
        answer(200, "{\"mayKeepRunning\":true,\"reason\":\"\",\"statusChangeRequested\":true}");

        assertThat(api.mayIRun(TASK_ID).mayKeepRunning()).isFalse();
    }

    @Test
    void mayIRun_unknownTaskIsFalseWithReason() throws Exception {
        answer(200, "{\"mayKeepRunning\":false,\"reason\":\"Task not found\"}");

        assertThat(api.mayIRun(TASK_ID)).isEqualTo(new MayKeepRunning(false, "Task not found", false,
                Optional.empty()));
    }

    @Test
    void mayIRun_withoutABooleanIsABadReply() {
        answer(200, "{\"may_keep_running\":true}");

        assertThatThrownBy(() -> api.mayIRun(TASK_ID)).isInstanceOfSatisfying(ManagerException.class,
                e -> assertThat(e.kind()).isEqualTo(ManagerException.Kind.BAD_REPLY));
    }

    @Test
    void update_eachDocumentedRefusalHasItsOutcome() {
        // 404 and 409 both mean "not this worker's task": drop and stop it (protocol-v3.md §6)
        Map<Integer, ManagerOutcome> expected = Map.of(400, ManagerOutcome.REJECTED, 403, ManagerOutcome.AUTH_FAILED,
                404, ManagerOutcome.CONFLICT, 409, ManagerOutcome.CONFLICT, 500, ManagerOutcome.TRANSIENT,
                503, ManagerOutcome.BUSY);
        expected.forEach((status, outcome) -> {
            answer(status, "{\"code\":" + status + ",\"message\":\"no\"}");

            assertThatThrownBy(() -> api.postUpdate(update())).isInstanceOfSatisfying(ManagerException.class,
                    e -> assertThat(e.outcome()).as("HTTP %d", status).isEqualTo(outcome));
        });
    }

    @Test
    void outputProduced_nonAcceptedAnswersAreFailuresAndNotRetried() {
        answer(429, "{\"code\":429,\"message\":\"queue full\"}");
        answer(404, "\"Task does not exist\"");

        assertThatThrownBy(() -> api.outputProduced(TASK_ID, List.of("/r/1.png"))).isInstanceOfSatisfying(
                ManagerException.class, e -> assertThat(e.outcome()).isEqualTo(ManagerOutcome.BUSY));
        assertThatThrownBy(() -> api.outputProduced(TASK_ID, List.of("/r/1.png"))).isInstanceOfSatisfying(
                ManagerException.class, e -> assertThat(e.outcome()).isEqualTo(ManagerOutcome.GONE));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void networkFailure_isNetworkKind() throws Exception {
        V3ManagerApi dead = V3ManagerApiRequestsTest.newApi("http://127.0.0.1:1/");

        assertThatThrownBy(dead::fetchTask).isInstanceOfSatisfying(ManagerException.class,
                e -> assertThat(e.outcome()).isEqualTo(ManagerOutcome.TRANSIENT));
        dead.close();
    }

    @Test
    void statusesV3DoesNotHaveAreReadAsAsleep() throws Exception {
        answer(200, "{\"status_requested\":\"shutdown\"}");

        assertThat(api.statusChange()).contains(WorkerStatus.ASLEEP);
    }

    @Test
    void noTaskCanBeReturnedInV3() throws Exception {
        api.returnTask(TASK_ID);

        assertThat(api.canReturnTasks()).isFalse();
        assertThat(server.getRequestCount()).isZero();
    }

    private static Registration registration() {
        return new Registration(Secret.of(SECRET), "linux", List.of("misc"), "n", Secret.empty());
    }
}
