package org.flamenco.worker.embedded;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Routing, authentication and the worker-lifecycle endpoints of the embedded Flamenco 3 Manager (protocol-v3.md
 * §1–§5): unknown path 404, wrong method 405, then Basic auth (403, checked before the body), then strict body
 * validation (400), then the handler. Task endpoints are in {@link V3TaskEndpoints}. Every call runs under the
 * {@link ManagerState} lock.
 */
final class V3Endpoints implements Router {
    static final String PREFIX = "/api/v3/worker/";

    private final ManagerState state;
    private final V3Store store;
    private final V3TaskEndpoints tasks;

    V3Endpoints(ManagerState state, V3Store store) {
        this.state = Objects.requireNonNull(state, "state");
        this.store = Objects.requireNonNull(store, "store");
        this.tasks = new V3TaskEndpoints(store);
    }

    @Override
    public Reply handle(Call call) {
        return state.locked(() -> route(call));
    }

    private Reply route(Call call) {
        String path = call.path();
        if (path.equals("/api/v3/version")) {
            return "GET".equals(call.method()) ? version() : methodNotAllowed();
        }
        if (!path.startsWith(PREFIX)) {
            return notFound();
        }
        String[] seg = path.substring(PREFIX.length()).split("/", -1);
        if (seg.length == 1) {
            switch (seg[0]) {
                case "register-worker":
                    return "POST".equals(call.method()) ? register(call) : methodNotAllowed();
                case "sign-on":
                    return authed(call, "POST", w -> signOn(w, call));
                case "sign-off":
                    return authed(call, "POST", this::signOff);
                case "state":
                    return authed(call, "GET", this::workerState);
                case "state-changed":
                    return authed(call, "POST", w -> stateChanged(w, call));
                case "task":
                    return authed(call, "POST", tasks::scheduleTask);
                default:
                    return notFound();
            }
        }
        if (!"task".equals(seg[0]) || seg[1].isEmpty()) {
            return notFound();
        }
        String taskId = seg[1];
        if (seg.length == 2) {
            return authed(call, "POST", w -> tasks.update(w, taskId, call));
        }
        if (seg.length == 3 && "may-i-run".equals(seg[2])) {
            return authed(call, "GET", w -> tasks.mayIRun(w, taskId));
        }
        if (seg.length == 3 && "output-produced".equals(seg[2])) {
            return authed(call, "POST", w -> tasks.outputProduced(w, taskId, call));
        }
        return notFound();
    }

    private interface WorkerHandler {
        Reply handle(V3WorkerRecord worker) throws V3Json.Invalid;
    }

    private Reply authed(Call call, String method, WorkerHandler handler) {
        if (!method.equals(call.method())) {
            return methodNotAllowed();
        }
        Optional<V3WorkerRecord> worker = store.authenticate(call.header("Authorization"));
        if (worker.isEmpty()) {
            return message(403, "security requirements failed: invalid username/password");
        }
        worker.get().lastSeen = state.now();
        try {
            return handler.handle(worker.get());
        } catch (V3Json.Invalid e) {
            return message(400, e.getMessage());
        }
    }

    private static Reply version() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", "3.9-embedded");
        body.put("shortversion", "3.9");
        body.put("name", "flamenco-worker embedded Manager");
        body.put("git", "embedded");
        return Reply.json(200, body);
    }

    private Reply register(Call call) {
        String schema = "WorkerRegistration";
        V3WorkerRecord w;
        try {
            ObjectNode doc = V3Json.body(call, schema);
            String secret = V3Json.string(doc, "secret", true, schema);
            String platform = V3Json.string(doc, "platform", true, schema);
            List<String> types = V3Json.strings(doc, "supported_task_types", true, schema);
            String name = V3Json.string(doc, "name", true, schema);
            w = new V3WorkerRecord(store.newId(), secret, name, platform, types);
        } catch (V3Json.Invalid e) {
            return message(400, e.getMessage());
        }
        store.workers.put(w.id, w);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("uuid", w.id);
        body.put("name", w.name);
        body.put("address", "127.0.0.1");
        body.put("status", ""); // as the real Manager: not a valid WorkerStatus (protocol-v3.md §11)
        body.put("platform", w.platform);
        body.put("software", "");
        body.put("supported_task_types", w.supportedTaskTypes);
        return Reply.json(200, body);
    }

    private Reply signOn(V3WorkerRecord w, Call call) throws V3Json.Invalid {
        String schema = "WorkerSignOn";
        ObjectNode doc = V3Json.body(call, schema);
        String name = V3Json.string(doc, "name", true, schema);
        List<String> types = V3Json.strings(doc, "supported_task_types", true, schema);
        String software = V3Json.string(doc, "software_version", true, schema);
        Boolean canRestart = V3Json.bool(doc, "can_restart", false, schema);
        w.name = name;
        w.supportedTaskTypes.clear();
        w.supportedTaskTypes.addAll(types);
        w.softwareVersion = software;
        w.canRestart = canRestart != null && canRestart;
        w.status = "starting";
        // A pending request (also the state remembered at sign-off) wins; no sleep schedule here: awake.
        String requested = w.statusRequested.isEmpty() ? "awake" : w.statusRequested;
        return Reply.json(200, Map.of("status_requested", requested));
    }

    private Reply signOff(V3WorkerRecord w) {
        store.requeueActiveTasks(w, "worker " + w.name + " signed off");
        if ("offline".equals(w.statusRequested) || "restart".equals(w.statusRequested)) {
            w.request("", false); // acknowledged by the sign-off
        } else if (w.statusRequested.isEmpty() && ("awake".equals(w.status) || "asleep".equals(w.status))) {
            w.request(w.status, false); // the state to return to at the next sign-on
        }
        w.status = "offline";
        store.signOffs.add(new LoopbackManager.SignOff(w.id, state.now()));
        return Reply.noContent();
    }

    private Reply workerState(V3WorkerRecord w) {
        if (w.statusRequested.isEmpty()) {
            return Reply.noContent();
        }
        return Reply.json(200, Map.of("status_requested", w.statusRequested));
    }

    private Reply stateChanged(V3WorkerRecord w, Call call) throws V3Json.Invalid {
        String status = V3Json.oneOf(V3Json.body(call, "WorkerStateChanged"), "status", true,
                "WorkerStateChanged", V3Json.WORKER_STATUSES);
        store.stateChanges.add(new EmbeddedV3Manager.StateChange(w.id, status, state.now()));
        if (!"awake".equals(status)) {
            store.requeueActiveTasks(w, "worker " + w.name + " changed status to " + status);
        }
        w.status = status;
        if (status.equals(w.statusRequested)) {
            w.request("", false);
        }
        return Reply.noContent();
    }

    /** The validator's and router's error document: {@code {"message": …}}. */
    static Reply message(int status, String text) {
        return Reply.json(status, Map.of("message", text));
    }

    /** A handler's error document: {@code {"code": …, "message": …}}. */
    static Reply error(int status, String text) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", status);
        body.put("message", text);
        return Reply.json(status, body);
    }

    private static Reply notFound() {
        return message(404, "Not Found");
    }

    private static Reply methodNotAllowed() {
        return message(405, "Method Not Allowed");
    }
}
