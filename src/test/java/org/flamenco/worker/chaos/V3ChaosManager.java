package org.flamenco.worker.chaos;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.flamenco.worker.embedded.EmbeddedV3Manager;
import org.flamenco.worker.embedded.RecordedRequest;
import org.flamenco.worker.embedded.TaskView;
import org.flamenco.worker.embedded.V3TaskSpec;
import org.flamenco.worker.embedded.V3TaskView;
import org.flamenco.worker.embedded.V3WorkerView;
import org.flamenco.worker.embedded.WorkerView;

/**
 * The embedded Flamenco 3 Manager in a chaos run (protocol-v3.md): the same shaped tasks as an {@code exec} of
 * {@code /bin/sh -c <the v2 command line>} in a {@code misc} task, the same fault families on the v3 endpoints
 * ({@code /status-change} → {@code GET /worker/state}, {@code shutdown} → {@code offline}, an update's 400 on
 * {@code POST /worker/task/{id}}). A failed task is final at once (no soft-fail round), as in v2.
 */
final class V3ChaosManager extends EmbeddedChaosManager<EmbeddedV3Manager> {
    private static final String WORKER = "/api/v3/worker";

    V3ChaosManager() throws IOException {
        super(new EmbeddedV3Manager().start());
        manager.setFailuresBeforeHardFail(1);
    }

    @Override
    public Map<String, String> workerKeys() {
        return Map.of("manager_protocol", "v3", "task_types", "misc");
    }

    @Override
    public String addTask(TaskShapes.Shaped shaped) {
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) shaped.spec().commands().get(0).get("settings");
        String cmd = (String) settings.get("cmd");
        V3TaskSpec spec = new V3TaskSpec(shaped.spec().name(), "misc", List.of(V3TaskSpec.command("exec",
                Map.of("exe", "/bin/sh", "args", List.of("-c", cmd)))));
        return manager.addJob("chaos-" + shaped.tag(), List.of(spec)).taskId(spec.name());
    }

    /** In the v2 shape: updates keyed {@code task_status}, no percentages. */
    @Override
    public TaskView task(String taskId) {
        V3TaskView t = manager.task(taskId);
        List<Map<String, Object>> updates = t.updates().stream().map(u -> {
            Map<String, Object> v2 = new LinkedHashMap<>(u);
            Object status = v2.remove("taskStatus");
            if (status != null) {
                v2.put("task_status", status);
            }
            return v2;
        }).toList();
        return new TaskView(t.id(), t.jobId(), t.name(), t.taskType(), t.status(), t.activity(), t.workerId(), 0, 0,
                0, Map.of(), t.log(), updates, t.failedByWorkers(), List.of(), t.commands());
    }

    @Override
    public Optional<WorkerView> newestWorker() {
        List<V3WorkerView> all = manager.workers();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        V3WorkerView w = all.get(all.size() - 1);
        return Optional.of(new WorkerView(w.id(), w.name(), w.platform(), w.supportedTaskTypes(), w.status(),
                w.statusRequested(), w.lazy(), null, w.softwareVersion(), w.lastSeen(), null));
    }

    @Override
    public void requestStatusChange(String workerId, String status, boolean lazy) {
        manager.requestStatusChange(workerId, status.equals("shutdown") ? "offline" : status, lazy);
    }

    @Override
    public String path(String v2Prefix, Optional<String> activeTask) {
        return switch (v2Prefix) {
            case "/" -> "/";
            case "/task$" -> WORKER + "/task$";
            case "/tasks/" -> WORKER + "/task/"; // a task's updates, its may-i-run and its previews
            // Only the running task's may-i-run: a canned 200 must never answer an update (the Manager would not have
            // it, and the worker rightly deletes an update answered 2xx). No task running: the state poll instead.
            case "/may-i-run/" -> activeTask.map(id -> WORKER + "/task/" + id + "/may-i-run$")
                    .orElse(WORKER + "/state");
            case "/status-change" -> WORKER + "/state";
            case "/sign-on" -> WORKER + "/sign-on";
            default -> throw new IllegalArgumentException("no Flamenco 3 path for " + v2Prefix);
        };
    }

    @Override
    public String updatePath(String taskId) {
        return WORKER + "/task/" + taskId;
    }

    /** Requests to exactly {@code prefix} when it is an update path (not its may-i-run or preview sub-paths). */
    @Override
    public List<RecordedRequest> requests(String method, String prefix) {
        return manager.requests(method, prefix).stream().filter(r -> !r.path().startsWith(prefix + "/")).toList();
    }
}
