package org.flamenco.worker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Outages, canned and slow replies, and the waiting helpers. */
@Timeout(30)
class EmbeddedManagerFaultTest extends RegisteredWorkerFixture {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private String addTask() {
        return manager.addJob("job", List.of(new TaskSpec("t", "sleep",
                List.of(TaskSpec.command("echo", Map.of("message", "x")))))).taskId("t");
    }

    @Test
    void stopAndRestart_onTheSamePort_keepWorkersAndTasks() throws Exception {
        int port = manager.port();
        String taskId = addTask();

        manager.stop();
        assertThat(manager.isRunning()).isFalse();
        assertThatThrownBy(() -> client.post("/task")).isInstanceOf(IOException.class);
        manager.restart();

        assertThat(manager.port()).isEqualTo(port);
        HttpResponse<String> r = client.post("/task");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ManagerClient.parse(r.body()).get("_id")).isEqualTo(taskId);
        assertThat(manager.worker(workerId)).isPresent();
    }

    @Test
    void stopAndRestart_canRepeat() throws Exception {
        for (int i = 0; i < 3; i++) {
            manager.stop();
            manager.restart();
        }

        assertThat(client.post("/task").statusCode()).isEqualTo(204);
    }

    @Test
    void failNext_failsExactlyNMatchingRequestsWithoutTouchingState() throws Exception {
        String taskId = addTask();
        manager.failNext(2, "/task", 503, "Service Unavailable");

        HttpResponse<String> other = client.get("/status-change");
        HttpResponse<String> first = client.post("/task");
        HttpResponse<String> second = client.post("/task");
        assertThat(manager.task(taskId).status()).isEqualTo("queued");
        HttpResponse<String> third = client.post("/task");

        assertThat(other.statusCode()).isEqualTo(204);
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(second.body()).isEqualTo("Service Unavailable");
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(manager.pendingCannedReplies()).isZero();
        assertThat(manager.requests("POST", "/task")).extracting(RecordedRequest::status)
                .containsExactly(503, 503, 200);
    }

    @Test
    void failNext_anyPathWith429() throws Exception {
        manager.failNext(1, 429, "slow down");

        assertThat(client.get("/status-change").statusCode()).isEqualTo(429);
        assertThat(client.get("/status-change").statusCode()).isEqualTo(204);
    }

    @Test
    void malformedReplies_taskNonJson_423WithoutBody_mayIRunGarbage() throws Exception {
        String taskId = addTask();
        manager.answerNext(1, "/task", CannedReply.json(200, "this is not JSON"));
        manager.answerNext(1, "/task", CannedReply.empty(423));
        manager.answerNext(1, "/may-i-run/", CannedReply.json(200, "{\"may_keep_running\":\"perhaps\""));

        HttpResponse<String> notJson = client.post("/task");
        HttpResponse<String> bare423 = client.post("/task");
        HttpResponse<String> garbage = client.get("/may-i-run/" + taskId);

        assertThat(notJson.statusCode()).isEqualTo(200);
        assertThat(notJson.body()).isEqualTo("this is not JSON");
        assertThat(notJson.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(bare423.statusCode()).isEqualTo(423);
        assertThat(bare423.body()).isEmpty();
        assertThat(garbage.body()).isEqualTo("{\"may_keep_running\":\"perhaps\"");
        assertThat(manager.task(taskId).status()).isEqualTo("queued");
    }

    @Test
    void disconnect_dropsTheConnectionWithoutAnswer() throws Exception {
        manager.answerNext(1, "/tasks/", CannedReply.disconnect());

        assertThatThrownBy(() -> client.post("/tasks/0123456789abcdef01234567/update", "{}"))
                .isInstanceOf(IOException.class);
        assertThat(manager.requests("POST", "/tasks/")).extracting(RecordedRequest::status)
                .containsExactly(CannedReply.DISCONNECT);
    }

    @Test
    void slowReplies_holdOnlyMatchingPathsBack() throws Exception {
        String taskId = addTask();
        client.post("/task");
        manager.delayReplies("/may-i-run/", Duration.ofSeconds(2));

        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return client.get("/may-i-run/" + taskId);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        RecordedRequest pending = manager.awaitRequest(r -> r.path().startsWith("/may-i-run/"), WAIT);
        HttpResponse<String> fast = client.get("/status-change");

        assertThat(pending.status()).as("not answered yet").isZero();
        assertThat(fast.statusCode()).isEqualTo(204);
        assertThat(slow).isNotDone();
        assertThat(slow.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(manager.requests("GET", "/may-i-run/")).extracting(RecordedRequest::status).containsExactly(200);
    }

    @Test
    void delayRepliesAfterApplying_appliesTheRequestEvenWhenTheClientGivesUp() throws Exception {
        String taskId = addTask();
        client.post("/task");
        manager.delayRepliesAfterApplying("/tasks/", Duration.ofSeconds(3));

        assertThatThrownBy(() -> client.postWithTimeout("/tasks/" + taskId + "/update", "{\"log\":\"once\"}",
                Duration.ofMillis(300))).isInstanceOf(java.net.http.HttpTimeoutException.class);

        assertThat(manager.task(taskId).log()).isEqualTo("once\n");
    }

    @Test
    void stop_dropsSlowRepliesInFlight() throws Exception {
        manager.delayReplies("/", Duration.ofSeconds(20));
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return client.post("/task");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        manager.awaitRequest(r -> r.path().equals("/task"), WAIT);

        manager.stop();

        assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class);
        manager.awaitRequest(r -> r.path().equals("/task") && r.status() == CannedReply.DISCONNECT, WAIT);
    }

    @Test
    void clearFaults_removesDelaysAndCannedReplies() throws Exception {
        manager.failNext(5, 500, "x");
        manager.delayReplies("/", Duration.ofSeconds(20));

        manager.clearFaults();

        assertThat(client.post("/task").statusCode()).isEqualTo(204);
    }

    @Test
    void awaitTaskStatus_returnsOnceAnotherThreadCompletesTheTask() throws Exception {
        String taskId = addTask();
        client.post("/task");

        CompletableFuture<Void> worker = CompletableFuture.runAsync(() -> {
            try {
                manager.awaitRequest(r -> r.line().equals("POST /task"), WAIT);
                client.post("/tasks/" + taskId + "/update", "{\"task_status\":\"completed\",\"log\":\"done\"}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        TaskView done = manager.awaitTaskStatus(taskId, "completed", WAIT);

        assertThat(done.log()).isEqualTo("done\n");
        worker.get(5, TimeUnit.SECONDS);
    }

    @Test
    void awaitJobDone_returnsAllTasksOnceEachIsFinal() throws Exception {
        AddedJob job = manager.addJob("two", List.of(new TaskSpec("a", "sleep", List.of()),
                new TaskSpec("b", "sleep", List.of())));
        client.post("/task");
        client.post("/tasks/" + job.taskId("a") + "/update", "{\"task_status\":\"completed\"}");
        assertThatThrownBy(() -> manager.awaitJobDone(job.id(), Duration.ofMillis(50)))
                .isInstanceOf(AwaitTimeoutException.class).hasMessageContaining("a=completed, b=queued");

        manager.cancelTask(job.taskId("b"));

        assertThat(manager.awaitJobDone(job.id(), WAIT)).extracting(TaskView::status)
                .containsExactly("completed", "canceled");
    }

    @Test
    void await_timesOutWithADescriptionOfWhatItSaw() {
        String taskId = addTask();

        assertThatThrownBy(() -> manager.awaitTaskStatus(taskId, "completed", Duration.ofMillis(100)))
                .isInstanceOf(AwaitTimeoutException.class).hasMessageContaining("status=queued");
        assertThatThrownBy(() -> manager.awaitCondition("never", () -> false, Duration.ofMillis(50)))
                .isInstanceOf(AwaitTimeoutException.class).hasMessageContaining("never");
    }

    @Test
    void awaitRequestsAndWorker_seeEarlierAndLaterEvents() throws Exception {
        client.post("/task");
        CompletableFuture<Void> later = CompletableFuture.runAsync(() -> {
            try {
                client.post("/task");
                client.post("/ack-status-change/asleep");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        List<RecordedRequest> fetches = manager.awaitRequests(r -> r.path().equals("/task"), 2, WAIT);
        WorkerView asleep = manager.awaitWorker(w -> w.status().equals("asleep"), WAIT);

        assertThat(fetches).hasSize(2);
        assertThat(asleep.id()).isEqualTo(workerId);
        later.get(5, TimeUnit.SECONDS);
    }
}
