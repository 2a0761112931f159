package org.flamenco.worker.embedded;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code /task}, {@code /tasks/{id}/update}, {@code /tasks/{id}/return} and {@code /may-i-run/{id}} with the real
 * Manager's semantics (protocol-v2.md §3.3–§3.6). Called under the {@link ManagerState} lock.
 */
final class TaskEndpoints {
    private static final String UPDATE_TYPE = "TaskUpdate";

    private final V2Store store;

    TaskEndpoints(V2Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    Reply assignTask(WorkerRecord w) {
        w.lastSeen = store.now();
        w.markAwake();
        if (!w.statusRequested.isEmpty()) {
            return Reply.json(423, Map.of("status_requested", w.statusRequested));
        }
        if (w.supportedTaskTypes.isEmpty()) {
            return Reply.error(406, "You do not support any task types.");
        }
        Optional<TaskRecord> task = store.ownActiveTask(w.id).or(() -> claimNext(w));
        return task.map(t -> Reply.json(200, document(t, w))).orElseGet(Reply::noContent);
    }

    private Optional<TaskRecord> claimNext(WorkerRecord w) {
        Optional<TaskRecord> next = store.claimNext(w);
        next.ifPresent(t -> w.currentTask = t.id);
        return next;
    }

    private Map<String, Object> document(TaskRecord t, WorkerRecord w) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("_id", t.id);
        doc.put("job", t.jobId);
        doc.put("manager", "");
        doc.put("project", "");
        doc.put("user", "");
        t.putAssignedFields(doc);
        doc.put("parents", t.parentIds);
        doc.put("worker", w.nickname);
        return doc;
    }

    Reply update(WorkerRecord w, String taskId, byte[] body) {
        w.lastSeen = store.now();
        if (!ManagerJson.isObjectId(taskId)) {
            return invalidTaskId(taskId);
        }
        ObjectNode doc;
        try {
            doc = decodeUpdate(body);
        } catch (ManagerJson.DecodeException e) {
            return Endpoints.badJson(e);
        }
        TaskRecord t = store.tasks.get(taskId);
        if (t == null) {
            return Reply.error(404, "Task " + taskId + " is unknown.");
        }
        // An unassigned task (re-queued by return or sign-off) still takes the old worker's late log lines.
        if (!t.workerId.isEmpty() && !t.workerId.equals(w.id)) {
            return Reply.error(409, "Task " + taskId + " is assigned to another worker.");
        }
        t.updates.add(ManagerJson.toMap(doc));
        if (t.isActive()) {
            applyActivity(t, w, doc);
        }
        String log = doc.path("log").asText("");
        if (!log.isEmpty()) {
            t.appendLog(log);
        }
        JsonNode timing = doc.path("metrics").path("timing");
        if (timing.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = timing.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                t.timing.put(e.getKey(), e.getValue().asDouble());
            }
        }
        return Reply.noContent();
    }

    private static ObjectNode decodeUpdate(byte[] body) throws ManagerJson.DecodeException {
        ObjectNode doc = ManagerJson.decodeObject(body, UPDATE_TYPE);
        ManagerJson.checkObjectId(doc, "_id");
        ManagerJson.checkObjectId(doc, "task_id");
        for (String field : List.of("task_status", "activity", "log", "log_tail", "worker", "received_on_manager")) {
            ManagerJson.checkString(doc, field, UPDATE_TYPE);
        }
        for (String field : List.of("current_command_idx", "task_progress_percentage",
                "command_progress_percentage")) {
            ManagerJson.checkInt(doc, field, UPDATE_TYPE);
        }
        ManagerJson.checkMetrics(doc, UPDATE_TYPE);
        return doc;
    }

    /** Status, activity and progress count only while the stored task is {@code active} (§3.4). */
    private void applyActivity(TaskRecord t, WorkerRecord w, ObjectNode doc) {
        String activity = doc.path("activity").asText("");
        if (!activity.isEmpty()) {
            t.activity = activity;
        }
        if (doc.hasNonNull("current_command_idx")) {
            t.currentCommandIdx = doc.get("current_command_idx").asInt();
        }
        if (doc.hasNonNull("task_progress_percentage")) {
            t.taskProgressPercentage = doc.get("task_progress_percentage").asInt();
        }
        if (doc.hasNonNull("command_progress_percentage")) {
            t.commandProgressPercentage = doc.get("command_progress_percentage").asInt();
        }
        String status = doc.path("task_status").asText("");
        if ("failed".equals(status)) {
            fail(t, w);
        } else if (!status.isEmpty()) {
            t.status = status;
        }
    }

    private void fail(TaskRecord t, WorkerRecord w) {
        if (store.fail(t, w.id)) {
            t.workerId = "";
        }
    }

    Reply returnTask(WorkerRecord w, String taskId) {
        w.lastSeen = store.now();
        if (!ManagerJson.isObjectId(taskId)) {
            return invalidTaskId(taskId);
        }
        TaskRecord t = store.tasks.get(taskId);
        if (t == null) {
            return Reply.error(404, "Task " + taskId + " is unknown.");
        }
        if (!w.id.equals(t.workerId)) {
            return Reply.noContent();
        }
        if ("cancel-requested".equals(t.status)) {
            // What Flamenco Server does once the worker let go of a cancelled task.
            t.status = "canceled";
            t.workerId = "";
        } else if (t.isActive()) {
            t.requeue(w.ident(), "returned by worker");
        }
        if (t.id.equals(w.currentTask)) {
            w.currentTask = "";
        }
        return Reply.noContent();
    }

    Reply mayIRun(WorkerRecord w, String taskId) {
        if (!ManagerJson.isObjectId(taskId)) {
            return invalidTaskId(taskId);
        }
        w.lastSeen = store.now();
        w.markAwake();
        TaskRecord t = store.tasks.get(taskId);
        String reason = "";
        if (t == null) {
            reason = "unable to find task " + taskId;
        } else if (!w.id.equals(t.workerId)) {
            reason = "task " + taskId + " reassigned to another worker";
        } else if (!t.isActive()) {
            reason = "task " + taskId + " in non-runnable status " + t.status;
        } else if (w.hasImmediateRequest() && !"awake".equals(w.statusRequested)
                && !"testing".equals(w.statusRequested)) {
            reason = "worker status change to " + w.statusRequested + " requested";
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("may_keep_running", reason.isEmpty());
        if (!reason.isEmpty()) {
            body.put("reason", reason);
        }
        if (!w.statusRequested.isEmpty()) {
            body.put("status_requested", w.statusRequested);
        }
        return Reply.json(200, body);
    }

    private static Reply invalidTaskId(String value) {
        return Reply.error(404, "Invalid ObjectID used for task-id: " + value);
    }
}
