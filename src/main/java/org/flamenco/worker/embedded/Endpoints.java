package org.flamenco.worker.embedded;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.flamenco.worker.model.Secret;

/**
 * Routing, authentication and the worker-lifecycle endpoints of the embedded Manager, with the real Manager's
 * semantics (protocol-v2.md §1.6, §2, §3). Task endpoints are in {@link TaskEndpoints}. Every call runs entirely
 * under the {@link ManagerState} lock, so each request is one atomic step of the Manager's database.
 */
final class Endpoints implements Router {
    private final ManagerState state;
    private final V2Store store;
    private final Secret registrationSecret;
    private final RegistrationTokenVerifier tokenVerifier;
    private final TaskEndpoints tasks;

    Endpoints(ManagerState state, V2Store store, Secret registrationSecret, Clock clock) {
        this.state = Objects.requireNonNull(state, "state");
        this.store = Objects.requireNonNull(store, "store");
        this.registrationSecret = Objects.requireNonNull(registrationSecret, "registrationSecret");
        this.tokenVerifier = new RegistrationTokenVerifier(registrationSecret, clock);
        this.tasks = new TaskEndpoints(store);
    }

    @Override
    public Reply handle(Call call) {
        return state.locked(() -> route(call));
    }

    /** Route first (404/405 need no credentials, like the Manager's router), then auth, then the handler. */
    private Reply route(Call call) {
        String[] seg = call.path().split("/", -1);
        if (seg.length < 2 || !seg[0].isEmpty() || seg[1].isEmpty()) {
            return notFound();
        }
        if (seg.length == 2) {
            switch (seg[1]) {
                case "register-worker":
                    return "POST".equals(call.method()) ? register(call) : methodNotAllowed();
                case "sign-on":
                    return authed(call, "POST", w -> signOn(w, call));
                case "task":
                    return authed(call, "POST", tasks::assignTask);
                case "status-change":
                    return authed(call, "GET", this::statusChange);
                case "sign-off":
                    return authed(call, "POST", this::signOff);
                case "output-produced":
                    return authed(call, "POST", w -> outputProduced(w, call));
                default:
                    return notFound();
            }
        }
        if (seg.length == 3 && !seg[2].isEmpty()) {
            if ("may-i-run".equals(seg[1])) {
                return authed(call, "GET", w -> tasks.mayIRun(w, seg[2]));
            }
            if ("ack-status-change".equals(seg[1])) {
                return authed(call, "POST", w -> ackStatusChange(w, seg[2]));
            }
        }
        if (seg.length == 4 && "tasks".equals(seg[1]) && !seg[2].isEmpty()) {
            if ("update".equals(seg[3])) {
                return authed(call, "POST", w -> tasks.update(w, seg[2], call.body()));
            }
            if ("return".equals(seg[3])) {
                return authed(call, "POST", w -> tasks.returnTask(w, seg[2]));
            }
        }
        return notFound();
    }

    private interface WorkerHandler {
        Reply handle(WorkerRecord worker);
    }

    private Reply authed(Call call, String method, WorkerHandler handler) {
        if (!method.equals(call.method())) {
            return methodNotAllowed();
        }
        Optional<WorkerRecord> worker = store.authenticate(call.header("Authorization"));
        if (worker.isEmpty()) {
            return Reply.unauthorized();
        }
        worker.get().software = call.userAgent();
        return handler.handle(worker.get());
    }

    private Reply register(Call call) {
        if (!registrationSecret.isEmpty()) {
            String auth = call.header("Authorization");
            if (auth.length() < 7 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Reply.error(403, "Missing Bearer token for registration");
            }
            if (!tokenVerifier.isValid(auth.substring(7).trim())) {
                return Reply.error(403, "Invalid Bearer token for registration");
            }
        }
        ObjectNode doc;
        try {
            doc = ManagerJson.decodeObject(call.body(), "WorkerRegistration");
            for (String field : List.of("secret", "platform", "nickname")) {
                ManagerJson.checkString(doc, field, "WorkerRegistration");
            }
            ManagerJson.checkStringArray(doc, "supported_task_types", "WorkerRegistration");
        } catch (ManagerJson.DecodeException e) {
            return badJson(e);
        }
        String secret = doc.path("secret").asText("");
        if (secret.isEmpty()) {
            return Reply.error(400, "Unable to decode JSON: secret may not be empty");
        }
        WorkerRecord w = new WorkerRecord(store.newId(), secret, doc.path("nickname").asText(""),
                doc.path("platform").asText(""), strings(doc.get("supported_task_types")));
        w.software = call.userAgent();
        store.workers.put(w.id, w);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("_id", w.id);
        body.put("nickname", w.nickname);
        body.put("address", "127.0.0.1");
        body.put("status", w.status);
        body.put("platform", w.platform);
        body.put("supported_task_types", w.supportedTaskTypes);
        body.put("software", w.software);
        body.put("current_task", "");
        return Reply.json(200, body);
    }

    private Reply signOn(WorkerRecord w, Call call) {
        ObjectNode doc;
        try {
            doc = ManagerJson.decodeObject(call.body(), "WorkerSignonDoc");
            ManagerJson.checkStringArray(doc, "supported_task_types", "WorkerSignonDoc");
            ManagerJson.checkString(doc, "nickname", "WorkerSignonDoc");
        } catch (ManagerJson.DecodeException e) {
            return badJson(e);
        }
        JsonNode types = doc.get("supported_task_types");
        if (types != null && !types.isNull()) {
            w.supportedTaskTypes.clear();
            w.supportedTaskTypes.addAll(strings(types));
        }
        String nickname = doc.path("nickname").asText("");
        if (!nickname.isEmpty()) {
            w.nickname = nickname;
        }
        w.currentTask = "";
        w.status = "starting";
        w.lastSeen = state.now();
        return Reply.noContent();
    }

    private Reply statusChange(WorkerRecord w) {
        w.lastSeen = state.now();
        if (w.statusRequested.isEmpty()) {
            return Reply.noContent();
        }
        return Reply.json(200, Map.of("status_requested", w.statusRequested));
    }

    private Reply ackStatusChange(WorkerRecord w, String status) {
        store.acks.add(new EmbeddedManager.Ack(w.id, status, state.now()));
        if (!"shutdown".equals(status)) {
            w.status = status;
            w.statusRequested = "";
            w.lazyStatusRequest = false;
        }
        return Reply.noContent();
    }

    private Reply signOff(WorkerRecord w) {
        for (TaskRecord t : store.tasks.values()) {
            if (t.isActive() && w.id.equals(t.workerId)) {
                t.requeue(w.ident(), "worker signed off");
            }
        }
        // The Manager remembers a sleeping worker's state so that it goes back to sleep after its next start;
        // signing off acknowledges a pending shutdown.
        boolean pendingShutdown = "shutdown".equals(w.statusRequested);
        if ("asleep".equals(w.status) && (w.statusRequested.isEmpty() || pendingShutdown)) {
            w.statusRequested = "asleep";
            w.lazyStatusRequest = false;
        } else if (pendingShutdown) {
            w.statusRequested = "";
            w.lazyStatusRequest = false;
        }
        w.status = "offline";
        w.currentTask = "";
        store.signOffs.add(new LoopbackManager.SignOff(w.id, state.now()));
        return Reply.noContent();
    }

    private Reply outputProduced(WorkerRecord w, Call call) {
        ObjectNode doc;
        try {
            doc = ManagerJson.decodeObject(call.body(), "FileProduced");
            ManagerJson.checkStringArray(doc, "paths", "FileProduced");
        } catch (ManagerJson.DecodeException e) {
            return badJson(e);
        }
        List<String> paths = strings(doc.get("paths"));
        if (paths.isEmpty()) {
            return Reply.error(422, "List of paths may not be empty.");
        }
        store.outputs.add(new EmbeddedManager.OutputNotice(w.id, paths, state.now()));
        return Reply.noContent();
    }

    static Reply badJson(ManagerJson.DecodeException e) {
        return Reply.error(400, "Unable to decode JSON: " + e.getMessage());
    }

    private static Reply notFound() {
        return Reply.error(404, "404 page not found");
    }

    private static Reply methodNotAllowed() {
        return new Reply(405, "", "", Map.of());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> {
                if (n.isTextual()) {
                    out.add(n.asText());
                }
            });
        }
        return out;
    }
}
