package org.flamenco.worker.manager.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.flamenco.worker.manager.FetchResult;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerOutcome;
import org.flamenco.worker.manager.MayKeepRunning;
import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.CommandSpec;
import org.flamenco.worker.model.CommandsProblem;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.TaskUpdate;
import org.flamenco.worker.model.WorkerStatus;
import org.flamenco.worker.testing.ManagerClientFixture;

/** How every answer the Manager (or a proxy) can give is classified (protocol-v2.md §1.6, §1.8, §3). */
@Timeout(20)
class V2ManagerApiRepliesTest {
    private static final String WORKER_ID = "5c8f0a9b1d2e3f4a5b6c7d8e";
    private static final String TASK_ID = "0123456789abcdef01234567";

    private final AtomicInteger reachable = new AtomicInteger();
    @RegisterExtension
    final ManagerClientFixture<V2ManagerApi> wire = new ManagerClientFixture<>(this::newApi,
            new Credentials(WORKER_ID, Secret.of("worker-secret-value")));
    private final MockWebServer server = wire.server();
    private final V2ManagerApi api = wire.api();

    private V2ManagerApi newApi(String url) {
        V2Settings settings = V2Settings.defaults(url).withTimeouts(Duration.ofMillis(500), Duration.ofMillis(400));
        V2ManagerApi a = new V2ManagerApi(settings, new TestClock(Instant.parse("2026-01-01T00:00:00Z")));
        a.useCredentials(new Credentials(WORKER_ID, Secret.of("worker-secret-value")));
        a.onReachable(reachable::incrementAndGet);
        return a;
    }

    private void enqueue(int code, String body) {
        server.enqueue(new MockResponse.Builder().code(code).body(body).build());
    }

    private static Registration registration() {
        return new Registration(Secret.of("x".repeat(64)), "linux", List.of("sleep"), "node", Secret.empty());
    }

    // --- Retry-After (found by ManagerRepliesFuzzTest)

    @ParameterizedTest
    @ValueSource(ints = {408, 503})
    void retryAfterTooLargeForAnInt_isAnHttpError_notAnUncheckedException(int status) {
        server.enqueue(new MockResponse.Builder().code(status).setHeader("Retry-After", "99999999999999")
                .body("busy").build());

        ManagerException e = catchThrowableOfType(ManagerException.class,
                () -> api.postUpdate(TaskUpdate.of(TASK_ID, null, "line")));

        assertThat(e.getMessage()).contains(Integer.toString(status));
    }

    @Test
    void retryAfterZeroOn503_isNotRetriedBehindTheWorkersBack() throws Exception {
        server.enqueue(new MockResponse.Builder().code(503).setHeader("Retry-After", "0").build());
        server.enqueue(new MockResponse.Builder().code(204).build());

        assertThatThrownBy(() -> api.postUpdate(TaskUpdate.of(TASK_ID, null, "line")))
                .isInstanceOf(ManagerException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    // --- /task

    @Test
    void fetchTask_200_returnsTheTaskWithCommandsAsPlainJava() throws Exception {
        enqueue(200, "{\"_id\":\"" + TASK_ID + "\",\"name\":\"render-1-10\",\"job\":\"\",\"job_type\":\"blender\","
                + "\"task_type\":\"blender-render\",\"unknown\":{\"x\":1},\"commands\":[{\"name\":\"echo\","
                + "\"settings\":{\"message\":\"hi\",\"n\":24,\"f\":1.5,\"b\":true,\"o\":null}}]}");

        FetchResult result = api.fetchTask();

        assertThat(result).isInstanceOf(FetchResult.Assigned.class);
        Task task = ((FetchResult.Assigned) result).task();
        assertThat(task.id()).isEqualTo(TASK_ID);
        assertThat(task.name()).isEqualTo("render-1-10");
        assertThat(task.jobType()).isEqualTo("blender");
        assertThat(task.taskType()).isEqualTo("blender-render");
        assertThat(task.commands().problem()).isEmpty();
        assertThat(task.commands().commands()).extracting(CommandSpec::name).containsExactly("echo");
        Map<String, Object> settings = task.commands().commands().get(0).settings();
        assertThat(settings.get("n")).isEqualTo(24);
        assertThat(settings.get("f")).isEqualTo(1.5);
        assertThat(settings.get("b")).isEqualTo(true);
        assertThat(settings.containsKey("o")).isTrue();
        assertThat(reachable).hasValue(1);
    }

    @Test
    void fetchTask_200WithMalformedCommands_keepsTheProblemForTheRunnerToFail() throws Exception {
        enqueue(200, "{\"_id\":\"" + TASK_ID + "\",\"commands\":\"not-a-list\"}");

        Task task = ((FetchResult.Assigned) api.fetchTask()).task();

        assertThat(task.commands().problem()).contains(
                new CommandsProblem(CommandsProblem.Kind.NOT_A_LIST, 0, "", "not-a-list"));
    }

    @Test
    void fetchTask_200WithoutCommands_givesNoCommandsList() throws Exception {
        enqueue(200, "{\"_id\":\"" + TASK_ID + "\"}");

        Task task = ((FetchResult.Assigned) api.fetchTask()).task();

        assertThat(task.commands().problem()).contains(
                new CommandsProblem(CommandsProblem.Kind.NOT_A_LIST, 0, "", null));
        assertThat(task.name()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html>oops</html>", "", "[1,2]", "{\"commands\":[]}", "{\"_id\":\"XYZ\"}",
            "{\"_id\":\"0123456789ABCDEF01234567\"}", "{\"_id\":12}", "{\"_id\":\"0123456789abcdef0123456\"}"})
    void fetchTask_200WithUnusableBodyOrId_isBadReply(String body) {
        enqueue(200, body);

        ManagerException e = catchThrowableOfType(ManagerException.class, api::fetchTask);

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.BAD_REPLY);
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.endpoint()).isEqualTo("POST /task");
    }

    @Test
    void fetchTask_204_isNoTask() throws Exception {
        enqueue(204, "");

        assertThat(api.fetchTask()).isInstanceOf(FetchResult.NoTask.class);
        assertThat(reachable).hasValue(1);
    }

    @Test
    void fetchTask_423_isTheRequestedStatusChange() throws Exception {
        enqueue(423, "{\"status_requested\":\"asleep\",\"other\":1}");

        assertThat(api.fetchTask()).isEqualTo(new FetchResult.StatusChangeRequested(WorkerStatus.ASLEEP));
        assertThat(reachable).hasValue(1);
    }

    @Test
    void fetchTask_423WithUnknownStatus_isReadAsAsleep() throws Exception {
        enqueue(423, "{\"status_requested\":\"sleep\"}");

        assertThat(api.fetchTask()).isEqualTo(new FetchResult.StatusChangeRequested(WorkerStatus.ASLEEP));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Locked", "{}", "{\"status_requested\":3}", "{\"status_requested\":\"\"}"})
    void fetchTask_423WithoutUsableStatus_isBadReply(String body) {
        enqueue(423, body);

        ManagerException e = catchThrowableOfType(ManagerException.class, api::fetchTask);

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.BAD_REPLY);
        assertThat(e.status()).isEqualTo(423);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403, 406, 500, 502, 503, 504})
    void fetchTask_errorStatus_isHttpWithStatusAndReplyText(int status) {
        enqueue(status, "You do not support any task types.\n");

        ManagerException e = catchThrowableOfType(ManagerException.class, api::fetchTask);

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.HTTP);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.reply()).startsWith("You do not support any task types.");
        assertThat(e.getMessage()).contains("POST /task", String.valueOf(status), "You do not support");
    }

    @Test
    void longReplyText_isCutTo200Characters() {
        enqueue(500, "x".repeat(1000));

        ManagerException e = catchThrowableOfType(ManagerException.class, api::fetchTask);

        assertThat(e.reply().length()).isLessThanOrEqualTo(201);
    }

    @Test
    void redirect_isNotFollowed() {
        server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", "http://elsewhere.invalid/task")
                .build());

        ManagerException e = catchThrowableOfType(ManagerException.class, api::fetchTask);

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.HTTP);
        assertThat(e.status()).isEqualTo(302);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    // --- network outcomes

    @Test
    void readTimeout_isNetworkAndNotReachable() {
        server.enqueue(new MockResponse.Builder().code(204).headersDelay(3, TimeUnit.SECONDS).build());

        ManagerException e = catchThrowableOfType(ManagerException.class, api::fetchTask);

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.NETWORK);
        assertThat(e.status()).isZero();
        assertThat(reachable).hasValue(0);
    }

    @Test
    void connectionRefused_isNetwork() throws Exception {
        String deadUrl = server.url("/").toString();
        server.close();

        ManagerException e = catchThrowableOfType(ManagerException.class, api::signOff);

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.NETWORK);
        assertThat(e.endpoint()).isEqualTo("POST /sign-off");
        assertThat(deadUrl).isNotEmpty();
        assertThat(reachable).hasValue(0);
    }

    @Test
    void connectionClosedBeforeResponse_isNetworkAndThePostIsNotRetried() {
        server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        enqueue(204, "");

        ManagerException e = catchThrowableOfType(ManagerException.class,
                () -> api.postUpdate(TaskUpdate.of(TASK_ID, ActivitySnapshot.initial(), null)));

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.NETWORK);
        assertThat(server.getRequestCount()).isLessThanOrEqualTo(1);
    }

    @Test
    void get_onAStalePooledConnection_isRetriedOnAFreshOne() throws Exception {
        server.enqueue(new MockResponse.Builder().code(204).onResponseEnd(new SocketEffect.CloseSocket()).build());
        enqueue(200, "{\"may_keep_running\":true}");
        api.statusChange();

        MayKeepRunning answer = api.mayIRun(TASK_ID);

        assertThat(answer.mayKeepRunning()).isTrue();
    }

    @Test
    void interruptedCall_isNetworkAndKeepsTheInterruptFlag() {
        enqueue(204, "");

        Thread.currentThread().interrupt();
        ManagerException e = catchThrowableOfType(ManagerException.class, api::signOff);
        boolean stillInterrupted = Thread.interrupted();

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.NETWORK);
        assertThat(stillInterrupted).isTrue();
    }

    @Test
    void fiveHundred_doesNotSignalReachable() {
        enqueue(500, "storage error");

        assertThatThrownBy(api::fetchTask).isInstanceOf(ManagerException.class);
        assertThat(reachable).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429})
    void busyManager_doesNotSignalReachable(int status) {
        enqueue(status, "slow down");

        assertThatThrownBy(api::fetchTask).isInstanceOf(ManagerException.class);
        assertThat(reachable).hasValue(0);
    }

    @Test
    void fourHundred_signalsReachable() {
        enqueue(401, "401 Unauthorized\n");

        ManagerException e = catchThrowableOfType(ManagerException.class, api::signOff);

        assertThat(e.outcome()).isEqualTo(ManagerOutcome.AUTH_FAILED);
        assertThat(reachable).hasValue(1);
    }

    // --- /tasks/{id}/update, /return, /sign-on, /sign-off, /ack, /output-produced

    @ParameterizedTest
    @ValueSource(ints = {200, 204})
    void postUpdate_anyTwoHundred_isSuccess(int status) throws Exception {
        enqueue(status, "");

        api.postUpdate(TaskUpdate.of(TASK_ID, null, "line"));

        assertThat(reachable).hasValue(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 408, 409, 429, 500})
    void postUpdate_errorStatus_isHttpWithThatStatus(int status) {
        enqueue(status, "Task " + TASK_ID + " is unknown.");

        ManagerException e = catchThrowableOfType(ManagerException.class,
                () -> api.postUpdate(TaskUpdate.of(TASK_ID, null, "line")));

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.HTTP);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.endpoint()).isEqualTo("POST /tasks/" + TASK_ID + "/update");
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 404, 500})
    void returnTask_errorStatus_isHttpAndThePlainTextBodyIsNotParsed(int status) {
        enqueue(status, "Invalid ObjectID used for task-id: x");

        ManagerException e = catchThrowableOfType(ManagerException.class, () -> api.returnTask(TASK_ID));

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.HTTP);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.reply()).isEqualTo("Invalid ObjectID used for task-id: x");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 500})
    void signOn_errorStatus_isHttp(int status) {
        enqueue(status, "nope");

        ManagerException e = catchThrowableOfType(ManagerException.class,
                () -> api.signOn(List.of("sleep"), "node"));

        assertThat(e.status()).isEqualTo(status);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 500})
    void signOff_errorStatus_isHttp(int status) {
        enqueue(status, "");

        ManagerException e = catchThrowableOfType(ManagerException.class, api::signOff);

        assertThat(e.status()).isEqualTo(status);
    }

    @Test
    void ackStatusChange_401_isHttp() {
        enqueue(401, "401 Unauthorized\n");

        ManagerException e = catchThrowableOfType(ManagerException.class,
                () -> api.ackStatusChange(WorkerStatus.AWAKE));

        assertThat(e.status()).isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 404, 422})
    void outputProduced_errorStatus_isHttp(int status) {
        enqueue(status, "List of paths may not be empty.");

        ManagerException e = catchThrowableOfType(ManagerException.class,
                () -> api.outputProduced(TASK_ID, List.of("/x.png")));

        assertThat(e.status()).isEqualTo(status);
    }

    // --- /may-i-run

    @Test
    void mayIRun_false_carriesReasonAndRequestedStatus() throws Exception {
        enqueue(200, "{\"may_keep_running\":false,\"reason\":\"task x in non-runnable status cancel-requested\","
                + "\"status_requested\":\"asleep\",\"new_field\":[1]}");

        MayKeepRunning answer = api.mayIRun(TASK_ID);

        assertThat(answer).isEqualTo(new MayKeepRunning(false, "task x in non-runnable status cancel-requested",
                true, Optional.of(WorkerStatus.ASLEEP)));
        assertThat(reachable).hasValue(1);
    }

    @Test
    void mayIRun_trueWithoutOptionalFields_defaultsThemToEmpty() throws Exception {
        enqueue(200, "{\"may_keep_running\":true}");

        assertThat(api.mayIRun(TASK_ID)).isEqualTo(MayKeepRunning.yes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html>502</html>", "{}", "{\"may_keep_running\":\"true\"}",
            "{\"may_keep_running\":1}", "{\"may_keep_running\":null}", "true"})
    void mayIRun_unusableBody_isBadReply(String body) {
        enqueue(200, body);

        ManagerException e = catchThrowableOfType(ManagerException.class, () -> api.mayIRun(TASK_ID));

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.BAD_REPLY);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 404, 502})
    void mayIRun_errorStatus_isHttp(int status) {
        enqueue(status, "<html>Bad Gateway</html>");

        ManagerException e = catchThrowableOfType(ManagerException.class, () -> api.mayIRun(TASK_ID));

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.HTTP);
        assertThat(e.status()).isEqualTo(status);
    }

    // --- /status-change

    @Test
    void statusChange_204_isEmpty() throws Exception {
        enqueue(204, "");

        assertThat(api.statusChange()).isEmpty();
    }

    @Test
    void statusChange_200_isTheRequestedStatus() throws Exception {
        enqueue(200, "{\"status_requested\":\"awake\"}");

        assertThat(api.statusChange()).contains(WorkerStatus.AWAKE);
    }

    @Test
    void statusChange_200NotJson_isBadReply() {
        enqueue(200, "awake");

        ManagerException e = catchThrowableOfType(ManagerException.class, api::statusChange);

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.BAD_REPLY);
    }

    @Test
    void statusChange_401_isHttp() {
        enqueue(401, "401 Unauthorized\n");

        ManagerException e = catchThrowableOfType(ManagerException.class, api::statusChange);

        assertThat(e.outcome()).isEqualTo(ManagerOutcome.AUTH_FAILED);
    }

    // --- /register-worker

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"_id\":\"\"}", "{\"_id\":\"nothex-nothex-nothex-abc\"}", "not json"})
    void register_200WithoutUsableId_isBadReply(String body) {
        enqueue(200, body);

        ManagerException e = catchThrowableOfType(ManagerException.class, () -> api.register(registration()));

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.BAD_REPLY);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 500})
    void register_errorStatus_isHttpWithTheReplyText(int status) {
        enqueue(status, "Invalid Bearer token for registration");

        ManagerException e = catchThrowableOfType(ManagerException.class, () -> api.register(registration()));

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.HTTP);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.reply()).isEqualTo("Invalid Bearer token for registration");
    }
}
