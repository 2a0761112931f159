package org.flamenco.worker.chaos;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.flamenco.worker.embedded.EmbeddedManager;
import org.flamenco.worker.embedded.TaskView;
import org.flamenco.worker.embedded.WorkerView;

/** The Flamenco 2 embedded Manager, as it always was in chaos runs. */
final class V2ChaosManager extends EmbeddedChaosManager<EmbeddedManager> {
    V2ChaosManager() throws IOException {
        super(new EmbeddedManager().start());
    }

    @Override
    public Map<String, String> workerKeys() {
        return Map.of("may_i_run_interval_seconds", "1");
    }

    @Override
    public String addTask(TaskShapes.Shaped shaped) {
        return manager.addJob("chaos-" + shaped.tag(), List.of(shaped.spec())).taskId(shaped.spec().name());
    }

    @Override
    public TaskView task(String taskId) {
        return manager.task(taskId);
    }

    @Override
    public Optional<WorkerView> newestWorker() {
        List<WorkerView> all = manager.workers();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    @Override
    public void requestStatusChange(String workerId, String status, boolean lazy) {
        manager.requestStatusChange(workerId, status, lazy);
    }

    @Override
    public String path(String v2Prefix, Optional<String> activeTask) {
        return v2Prefix;
    }

    @Override
    public String updatePath(String taskId) {
        return "/tasks/" + taskId + "/update";
    }
}
