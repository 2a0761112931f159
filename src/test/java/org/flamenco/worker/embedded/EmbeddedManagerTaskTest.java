package org.flamenco.worker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EmbeddedManagerTaskTest extends RegisteredWorkerFixture {
    private static final String UNKNOWN_ID = "0123456789abcdef01234567";

    @Override
    List<String> taskTypes() {
        return List.of("sleep", "file-management");
    }

    private static TaskSpec echoTask(String name, String type, String... parents) {
        return new TaskSpec(name, type, List.of(TaskSpec.command("echo", Map.of("message", "hi " + name))),
                List.of(parents));
    }

    private String addOneTask() {
        return manager.addJob("job", List.of(echoTask("t1", "sleep"))).taskId("t1");
    }

    private Map<String, Object> fetch(ManagerClient c) throws Exception {
        HttpResponse<String> r = c.post("/task");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ManagerClient.parse(r.body());
    }

    // ---- /task ----

    @Test
    void task_withoutWork_is204() throws Exception {
        assertThat(client.post("/task").statusCode()).isEqualTo(204);
    }

    @Test
    void task_handsOutQueuedTaskAndMarksItActive() throws Exception {
        String id = addOneTask();

        Map<String, Object> task = fetch(client);

        assertThat(task.get("_id")).isEqualTo(id);
        assertThat(task.get("status")).isEqualTo("active");
        assertThat(task.get("task_type")).isEqualTo("sleep");
        assertThat(task.get("commands")).isEqualTo(List.of(Map.of("name", "echo", "settings",
                Map.of("message", "hi t1"))));
        assertThat(manager.task(id).status()).isEqualTo("active");
        assertThat(manager.taskStatus(id)).isEqualTo("active");
        assertThat(manager.task(id).workerId()).isEqualTo(workerId);
        assertThat(manager.worker(workerId).orElseThrow().currentTask()).isEqualTo(id);
        assertThat(manager.worker(workerId).orElseThrow().status()).isEqualTo("awake");
    }

    @Test
    void task_handsAWorkerItsOwnActiveTaskBack() throws Exception {
        String id = addOneTask();
        manager.addJob("second", List.of(echoTask("t2", "sleep")));
        fetch(client);

        Map<String, Object> again = fetch(client);

        assertThat(again.get("_id")).isEqualTo(id);
    }

    @Test
    void task_onlyOfSupportedTypes() throws Exception {
        manager.addJob("job", List.of(echoTask("render", "blender-render")));

        assertThat(client.post("/task").statusCode()).isEqualTo(204);
    }

    @Test
    void task_waitsForParentsToComplete() throws Exception {
        AddedJob job = manager.addJob("job", List.of(echoTask("a", "sleep"), echoTask("b", "file-management", "a")));
        ManagerClient other = new ManagerClient(manager.url());
        other.register("node-02", List.of("file-management"));
        fetch(client);
        assertThat(other.post("/task").statusCode()).isEqualTo(204);

        client.post("/tasks/" + job.taskId("a") + "/update", "{\"task_status\":\"completed\"}");

        assertThat(fetch(other).get("_id")).isEqualTo(job.taskId("b"));
    }

    @Test
    void task_withPendingStatusRequest_is423() throws Exception {
        addOneTask();
        manager.requestStatusChange(workerId, "asleep", true);

        HttpResponse<String> r = client.post("/task");

        assertThat(r.statusCode()).isEqualTo(423);
        assertThat(ManagerClient.parse(r.body())).isEqualTo(Map.of("status_requested", "asleep"));
    }

    @Test
    void task_withoutTaskTypes_is406() throws Exception {
        client.post("/sign-on", "{\"supported_task_types\":[],\"nickname\":\"node-01\"}");

        HttpResponse<String> r = client.post("/task");

        assertThat(r.statusCode()).isEqualTo(406);
        assertThat(r.body()).isEqualTo("You do not support any task types.\n");
    }

    @Test
    void task_cancelledJobIsNotHandedOut() throws Exception {
        AddedJob job = manager.addJob("job", List.of(echoTask("t1", "sleep")));

        manager.cancelJob(job.id());

        assertThat(client.post("/task").statusCode()).isEqualTo(204);
        assertThat(manager.task(job.taskId("t1")).status()).isEqualTo("canceled");
    }

    // ---- /tasks/{id}/update ----

    @Test
    void update_isStoredInOrderAndAppendsLog() throws Exception {
        String id = addOneTask();
        fetch(client);

        HttpResponse<String> r1 = client.post("/tasks/" + id + "/update", "{\"task_status\":\"active\",\"activity\":"
                + "\"starting echo\",\"current_command_idx\":0,\"task_progress_percentage\":10,"
                + "\"command_progress_percentage\":20,\"log\":\"line 1\\nline 2\"}");
        HttpResponse<String> r2 = client.post("/tasks/" + id + "/update", "{\"task_status\":\"completed\","
                + "\"activity\":\"Task completed\",\"task_progress_percentage\":100,"
                + "\"metrics\":{\"timing\":{\"total\":1.5}},\"log\":\"line 3\"}");

        assertThat(r1.statusCode()).isEqualTo(204);
        assertThat(r2.statusCode()).isEqualTo(204);
        TaskView t = manager.task(id);
        assertThat(t.status()).isEqualTo("completed");
        assertThat(manager.taskStatus(id)).isEqualTo("completed");
        assertThat(t.activity()).isEqualTo("Task completed");
        assertThat(t.taskProgressPercentage()).isEqualTo(100);
        assertThat(t.commandProgressPercentage()).isEqualTo(20);
        assertThat(t.timing()).containsEntry("total", 1.5);
        assertThat(t.log()).isEqualTo("line 1\nline 2\nline 3\n");
        assertThat(t.logLines()).containsExactly("line 1", "line 2", "line 3");
        assertThat(t.updates()).extracting(u -> u.get("task_status")).containsExactly("active", "completed");
    }

    @Test
    void update_withFractionInIntegerField_is400() throws Exception {
        String id = addOneTask();
        fetch(client);

        HttpResponse<String> r = client.post("/tasks/" + id + "/update",
                "{\"task_status\":\"active\",\"task_progress_percentage\":12.0}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("Unable to decode JSON: json: cannot unmarshal number 12.0 into Go struct "
                + "field TaskUpdate.task_progress_percentage of type int\n");
        assertThat(manager.task(id).updates()).isEmpty();
    }

    @Test
    void update_withExponentOrStringOrWrongTypes_is400() throws Exception {
        String id = addOneTask();
        fetch(client);

        for (String body : List.of("{\"current_command_idx\":1e0}", "{\"command_progress_percentage\":\"5\"}",
                "{\"task_progress_percentage\":true}", "{\"activity\":5}", "{\"log\":[\"a\"]}",
                "{\"metrics\":{\"timing\":{\"total\":\"1\"}}}", "[1,2]", "not json", "")) {
            HttpResponse<String> r = client.post("/tasks/" + id + "/update", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(r.body()).as(body).startsWith("Unable to decode JSON: ");
        }
        assertThat(manager.task(id).updates()).isEmpty();
    }

    @Test
    void update_ignoresUnknownFieldsAndNulls() throws Exception {
        String id = addOneTask();
        fetch(client);

        HttpResponse<String> r = client.post("/tasks/" + id + "/update",
                "{\"surprise\":{\"x\":1},\"activity\":null,\"task_progress_percentage\":-3}");

        assertThat(r.statusCode()).isEqualTo(204);
    }

    @Test
    void update_nullBody_isAnEmptyUpdateLikeGo() throws Exception {
        String id = addOneTask();
        fetch(client);

        HttpResponse<String> r = client.post("/tasks/" + id + "/update", "null");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(manager.task(id).updates()).containsExactly(Map.of());
    }

    @Test
    void update_invalidObjectId_is404() throws Exception {
        HttpResponse<String> r = client.post("/tasks/xyz/update", "{}");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("Invalid ObjectID used for task-id: xyz\n");
    }

    @Test
    void update_unknownTask_is404() throws Exception {
        HttpResponse<String> r = client.post("/tasks/" + UNKNOWN_ID + "/update", "{\"log\":\"x\"}");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("Task " + UNKNOWN_ID + " is unknown.\n");
    }

    @Test
    void update_ofAnotherWorkersTask_is409() throws Exception {
        String id = addOneTask();
        fetch(client);
        ManagerClient other = new ManagerClient(manager.url());
        other.register("node-02", List.of("sleep"));

        HttpResponse<String> r = other.post("/tasks/" + id + "/update", "{\"log\":\"x\"}");

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).isEqualTo("Task " + id + " is assigned to another worker.\n");
    }

    @Test
    void update_ofNonActiveTask_dropsStatusAndActivityButKeepsLog() throws Exception {
        String id = addOneTask();
        fetch(client);
        manager.cancelTask(id);

        HttpResponse<String> r = client.post("/tasks/" + id + "/update",
                "{\"task_status\":\"completed\",\"activity\":\"done\",\"log\":\"late line\"}");

        assertThat(r.statusCode()).isEqualTo(204);
        TaskView t = manager.task(id);
        assertThat(t.status()).isEqualTo("cancel-requested");
        assertThat(t.activity()).isEmpty();
        assertThat(t.log()).isEqualTo("late line\n");
    }

    @Test
    void update_failed_softFailsAndRequeuesForOtherWorkersWhenConfigured() throws Exception {
        manager.setFailuresBeforeHardFail(2);
        String id = addOneTask();
        fetch(client);

        client.post("/tasks/" + id + "/update", "{\"task_status\":\"failed\"}");

        assertThat(manager.task(id).status()).isEqualTo("soft-failed");
        assertThat(client.post("/task").statusCode()).as("not again for the worker that failed it").isEqualTo(204);
        ManagerClient other = new ManagerClient(manager.url());
        other.register("node-02", List.of("sleep"));
        fetch(other);
        other.post("/tasks/" + id + "/update", "{\"task_status\":\"failed\"}");
        assertThat(manager.task(id).status()).isEqualTo("failed");
        assertThat(manager.task(id).failedByWorkers()).hasSize(2);
    }

    // ---- /tasks/{id}/return ----

    @Test
    void return_requeuesActiveTaskAsClaimedByManager() throws Exception {
        String id = addOneTask();
        fetch(client);

        HttpResponse<String> r = client.post("/tasks/" + id + "/return");

        assertThat(r.statusCode()).isEqualTo(204);
        TaskView t = manager.task(id);
        assertThat(t.status()).isEqualTo("claimed-by-manager");
        assertThat(t.workerId()).isEmpty();
        assertThat(t.activity()).isEqualTo("Re-queued task after unassigning from worker node-01 (" + workerId
                + "): returned by worker");
        assertThat(t.log()).contains("returned by worker");
    }

    @Test
    void return_thenLateLogLine_isStillAppendedWithoutChangingStatus() throws Exception {
        String id = addOneTask();
        fetch(client);
        client.post("/tasks/" + id + "/return");

        HttpResponse<String> r = client.post("/tasks/" + id + "/update",
                "{\"task_status\":\"completed\",\"log\":\"returned this task\"}");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(manager.task(id).status()).isEqualTo("claimed-by-manager");
        assertThat(manager.task(id).logLines()).last().isEqualTo("returned this task");
    }

    @Test
    void return_ofUnknownTask_is404AndOfOthersTask_is204WithoutChange() throws Exception {
        String id = addOneTask();
        fetch(client);
        ManagerClient other = new ManagerClient(manager.url());
        other.register("node-02", List.of("sleep"));

        assertThat(other.post("/tasks/" + UNKNOWN_ID + "/return").statusCode()).isEqualTo(404);
        assertThat(other.post("/tasks/" + id + "/return").statusCode()).isEqualTo(204);
        assertThat(other.post("/tasks/bad/return").body()).isEqualTo("Invalid ObjectID used for task-id: bad\n");
        assertThat(manager.task(id).status()).isEqualTo("active");
    }

    // ---- /may-i-run/{id} ----

    @Test
    void mayIRun_trueForOwnActiveTask() throws Exception {
        String id = addOneTask();
        fetch(client);

        HttpResponse<String> r = client.get("/may-i-run/" + id);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ManagerClient.parse(r.body())).isEqualTo(Map.of("may_keep_running", true));
    }

    @Test
    void mayIRun_falseReasonsInTheManagersOrder() throws Exception {
        String id = addOneTask();
        fetch(client);
        ManagerClient other = new ManagerClient(manager.url());
        other.register("node-02", List.of("sleep"));

        assertThat(ManagerClient.parse(client.get("/may-i-run/" + UNKNOWN_ID).body())).isEqualTo(Map.of(
                "may_keep_running", false, "reason", "unable to find task " + UNKNOWN_ID));
        assertThat(ManagerClient.parse(other.get("/may-i-run/" + id).body())).isEqualTo(Map.of(
                "may_keep_running", false, "reason", "task " + id + " reassigned to another worker"));
        manager.requestStatusChange(workerId, "asleep", false);
        assertThat(ManagerClient.parse(client.get("/may-i-run/" + id).body())).isEqualTo(Map.of(
                "may_keep_running", false, "reason", "worker status change to asleep requested",
                "status_requested", "asleep"));
        manager.cancelTask(id);
        assertThat(ManagerClient.parse(client.get("/may-i-run/" + id).body())).isEqualTo(Map.of(
                "may_keep_running", false, "reason", "task " + id + " in non-runnable status cancel-requested",
                "status_requested", "asleep"));
    }

    @Test
    void mayIRun_lazyRequestKeepsRunningButIsReported() throws Exception {
        String id = addOneTask();
        fetch(client);
        manager.requestStatusChange(workerId, "shutdown", true);

        HttpResponse<String> r = client.get("/may-i-run/" + id);

        assertThat(ManagerClient.parse(r.body())).isEqualTo(Map.of("may_keep_running", true,
                "status_requested", "shutdown"));
    }

    @Test
    void mayIRun_invalidObjectId_is404AndPostIs405() throws Exception {
        assertThat(client.get("/may-i-run/nope").statusCode()).isEqualTo(404);
        assertThat(client.post("/may-i-run/" + UNKNOWN_ID).statusCode()).isEqualTo(405);
    }

    @Test
    void returnOfCancelledTask_endsItCanceled() throws Exception {
        String id = addOneTask();
        fetch(client);
        manager.cancelTask(id);

        client.post("/tasks/" + id + "/return");

        assertThat(manager.task(id).status()).isEqualTo("canceled");
    }
}
