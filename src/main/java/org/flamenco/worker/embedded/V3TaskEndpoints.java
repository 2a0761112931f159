package org.flamenco.worker.embedded;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code POST /worker/task}, {@code POST /worker/task/{id}}, may-i-run and output-produced of the embedded Flamenco 3
 * Manager (protocol-v3.md §2, §5–§7, §11). Called under the {@link ManagerState} lock, after authentication.
 */
final class V3TaskEndpoints {
    /** The Manager's limit for a preview image (protocol-v3.md §2). */
    static final long MAX_PREVIEW_BYTES = 25L * 1024 * 1024;
    private static final String UPDATE = "TaskUpdate";

    private final V3Store store;

    V3TaskEndpoints(V3Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** 423 for any pending request, 409 unless awake, then the worker's own active task or the next one. */
    Reply scheduleTask(V3WorkerRecord w) {
        if (!w.statusRequested.isEmpty()) {
            return Reply.json(423, Map.of("status_requested", w.statusRequested));
        }
        if (!"awake".equals(w.status)) {
            return V3Endpoints.error(409, "worker is in state \"" + w.status + "\", not awake");
        }
        Optional<V3TaskRecord> task = store.ownActiveTask(w.id).or(() -> store.claimNext(w));
        return task.map(t -> Reply.json(200, document(t))).orElseGet(Reply::noContent);
    }

    private static Map<String, Object> document(V3TaskRecord t) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("uuid", t.id);
        doc.put("job", t.jobId);
        t.putAssignedFields(doc);
        doc.put("steps_completed", t.stepsCompleted);
        doc.put("steps_total", t.stepsTotal);
        return doc;
    }

    Reply update(V3WorkerRecord w, String taskId, Call call) throws V3Json.Invalid {
        requireUuid(taskId);
        ObjectNode doc = V3Json.body(call, UPDATE);
        String status = V3Json.oneOf(doc, "taskStatus", false, UPDATE, V3Json.TASK_STATUSES);
        String activity = V3Json.string(doc, "activity", false, UPDATE);
        String log = V3Json.string(doc, "log", false, UPDATE);
        Long steps = V3Json.integer(doc, "steps_completed", false, UPDATE);
        if ("soft-failed".equals(status)) {
            return V3Endpoints.error(400, "workers cannot set a task to soft-failed; send failed instead");
        }
        V3TaskRecord t = store.tasks.get(taskId);
        if (t == null) {
            return V3Endpoints.error(404, "task " + taskId + " does not exist");
        }
        if (!w.id.equals(t.workerId)) {
            return V3Endpoints.error(409, "task " + taskId + " is not assigned to worker " + w.id);
        }
        t.updates.add(ManagerJson.toMap(doc));
        if (activity != null) {
            t.activity = activity;
        }
        if (log != null && !log.isEmpty()) {
            t.appendLog(log);
        }
        if (steps != null) {
            t.stepsCompleted = (int) Math.max(0, Math.min(t.stepsTotal, steps));
        }
        if ("failed".equals(status)) {
            store.fail(t, w.id);
        } else if (status != null) {
            t.status = status;
        }
        return Reply.noContent();
    }

    /** Unknown task: 200 with {@code false}; an immediate state change request stops the task. */
    Reply mayIRun(V3WorkerRecord w, String taskId) throws V3Json.Invalid {
        requireUuid(taskId);
        V3TaskRecord t = store.tasks.get(taskId);
        boolean changeRequested = !w.statusRequested.isEmpty() && !w.lazy;
        String reason = "";
        if (t == null) {
            reason = "Task not found";
        } else if (changeRequested) {
            reason = "worker status change requested";
        } else if (!w.id.equals(t.workerId)) {
            reason = "task not assigned to this worker";
        } else if (!t.isActive()) {
            reason = "task is not in an active state (" + t.status + ")";
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mayKeepRunning", reason.isEmpty());
        body.put("reason", reason);
        body.put("statusChangeRequested", t != null && changeRequested);
        return Reply.json(200, body);
    }

    /** Checks in the order of the Manager's handler: task, length, size, media type; then stores the image. */
    Reply outputProduced(V3WorkerRecord w, String taskId, Call call) throws V3Json.Invalid {
        requireUuid(taskId);
        V3TaskRecord t = store.tasks.get(taskId);
        if (t == null) {
            return Reply.json(404, "Task does not exist");
        }
        String length = call.header("Content-Length");
        if (length.isEmpty()) {
            return V3Endpoints.error(411, "Content-Length header required");
        }
        if (call.body().length > MAX_PREVIEW_BYTES) {
            return V3Endpoints.error(413, "image too large; should be max " + MAX_PREVIEW_BYTES + " bytes");
        }
        String type = call.header("Content-Type");
        if (!type.equals("image/jpeg") && !type.equals("image/png")) {
            return V3Endpoints.error(415, "unsupported image type \"" + type + "\"");
        }
        store.previews.add(new EmbeddedV3Manager.Preview(w.id, taskId, type, call.body(), store.now()));
        return Reply.empty(202);
    }

    private static void requireUuid(String taskId) throws V3Json.Invalid {
        if (!V3Json.isUuid(taskId)) {
            throw new V3Json.Invalid("parameter \"task_id\" in path has an error: string doesn't match the format "
                    + "\"uuid\"");
        }
    }
}
