package org.flamenco.worker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** sign-on, status changes and acks, sign-off, output notices. */
@Timeout(30)
class EmbeddedManagerWorkerLifecycleTest extends RegisteredWorkerFixture {
    private String fetchNewTask() throws Exception {
        String id = manager.addJob("job", List.of(new TaskSpec("t", "sleep",
                List.of(TaskSpec.command("sleep", Map.of("time_in_seconds", 1)))))).taskId("t");
        assertThat(client.post("/task").statusCode()).isEqualTo(200);
        return id;
    }

    private WorkerView worker() {
        return manager.worker(workerId).orElseThrow();
    }

    @Test
    void signOn_updatesNicknameAndTypesAndClearsCurrentTaskWithoutRequeueing() throws Exception {
        String taskId = fetchNewTask();

        HttpResponse<String> r = client.post("/sign-on",
                "{\"supported_task_types\":[\"sleep\",\"debug\"],\"nickname\":\"renamed\"}");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(worker().nickname()).isEqualTo("renamed");
        assertThat(worker().supportedTaskTypes()).containsExactly("sleep", "debug");
        assertThat(worker().status()).isEqualTo("starting");
        assertThat(worker().currentTask()).isEmpty();
        assertThat(manager.task(taskId).status()).isEqualTo("active");
        assertThat(manager.task(taskId).workerId()).isEqualTo(workerId);
    }

    @Test
    void signOn_withWrongTypes_is400() throws Exception {
        HttpResponse<String> r = client.post("/sign-on", "{\"nickname\":42}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("Unable to decode JSON: json: cannot unmarshal number 42 into Go struct "
                + "field WorkerSignonDoc.nickname of type string");
    }

    @Test
    void statusChange_is204WithoutRequestAnd200WithOne() throws Exception {
        assertThat(client.get("/status-change").statusCode()).isEqualTo(204);

        manager.requestStatusChange(workerId, "awake", false);
        HttpResponse<String> r = client.get("/status-change");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ManagerClient.parse(r.body())).isEqualTo(Map.of("status_requested", "awake"));
    }

    @Test
    void ack_setsStatusClearsRequestAndIsRecorded() throws Exception {
        manager.requestStatusChange(workerId, "asleep", false);

        HttpResponse<String> r = client.post("/ack-status-change/asleep");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(worker().status()).isEqualTo("asleep");
        assertThat(worker().statusRequested()).isEmpty();
        assertThat(manager.acks()).extracting(EmbeddedManager.Ack::status).containsExactly("asleep");
        assertThat(client.post("/task").statusCode()).as("no more 423").isEqualTo(204);
        assertThat(worker().status()).as("/task wakes the worker on the Manager").isEqualTo("awake");
    }

    @Test
    void ackOfShutdown_isIgnored() throws Exception {
        manager.requestStatusChange(workerId, "shutdown", true);

        client.post("/ack-status-change/shutdown");

        assertThat(worker().statusRequested()).isEqualTo("shutdown");
        assertThat(manager.acks()).hasSize(1);
    }

    @Test
    void signOff_requeuesActiveTasksAndSetsOffline() throws Exception {
        String taskId = fetchNewTask();

        HttpResponse<String> r = client.post("/sign-off");

        assertThat(r.statusCode()).isEqualTo(204);
        TaskView t = manager.task(taskId);
        assertThat(t.status()).isEqualTo("claimed-by-manager");
        assertThat(t.workerId()).isEmpty();
        assertThat(t.activity()).endsWith(": worker signed off");
        assertThat(worker().status()).isEqualTo("offline");
        assertThat(manager.signOffs()).extracting(EmbeddedManager.SignOff::workerId).containsExactly(workerId);
        assertThat(client.post("/task").statusCode()).as("handed out again after sign-off").isEqualTo(200);
    }

    @Test
    void signOff_whileAsleep_remembersSleepForTheNextStart() throws Exception {
        client.post("/ack-status-change/asleep");

        client.post("/sign-off");

        assertThat(worker().statusRequested()).isEqualTo("asleep");
        assertThat(worker().lazyStatusRequest()).isFalse();
    }

    @Test
    void signOff_acknowledgesAPendingShutdown() throws Exception {
        manager.requestStatusChange(workerId, "shutdown", true);

        client.post("/sign-off");

        assertThat(worker().statusRequested()).isEmpty();
    }

    @Test
    void outputProduced_recordsPathsAndRejectsEmptyList() throws Exception {
        HttpResponse<String> ok = client.post("/output-produced", "{\"paths\":[\"/render/0001.png\"]}");
        HttpResponse<String> empty = client.post("/output-produced", "{\"paths\":[]}");
        HttpResponse<String> bad = client.post("/output-produced", "{\"paths\":\"x\"}");

        assertThat(ok.statusCode()).isEqualTo(204);
        assertThat(empty.statusCode()).isEqualTo(422);
        assertThat(empty.body()).isEqualTo("List of paths may not be empty.\n");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(manager.outputs()).singleElement().satisfies(o -> {
            assertThat(o.workerId()).isEqualTo(workerId);
            assertThat(o.paths()).containsExactly("/render/0001.png");
        });
    }

    @Test
    void addJob_rejectsUnknownParentsAndDuplicateNames() {
        TaskSpec a = new TaskSpec("a", "sleep", List.of());
        TaskSpec orphan = new TaskSpec("b", "sleep", List.of(), List.of("nope"));

        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> manager.addJob("j", List.of(a, orphan))).withMessageContaining("nope");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> manager.addJob("j", List.of(a, a))).withMessageContaining("two tasks");
        assertThat(manager.tasks()).isEmpty();
    }
}
