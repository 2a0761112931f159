package org.flamenco.worker.manager.v2;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.TaskCommands;

/**
 * Lenient readers for the Manager's replies (protocol-v2.md §1.5, §4): unknown fields are ignored, optional fields
 * default, and exactly the fields the worker cannot do without are checked (ids, {@code may_keep_running},
 * {@code status_requested}). Works on the JSON tree so a wrong type is noticed instead of coerced.
 */
final class WireReplies {
    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{24}");

    private final ObjectMapper json;

    WireReplies(ObjectMapper json) {
        this.json = json;
    }

    /** {@code Worker} (§4.2): only {@code _id} is read. */
    String workerId(String body) throws UnusableReplyException {
        return objectId(object(body), "_id");
    }

    /** {@code Task} (§4.5); {@code commands} is decoded into {@link TaskCommands}; a malformed list
     * is kept with its problem so the runner fails the task legibly. */
    Task task(String body) throws UnusableReplyException {
        JsonNode root = object(body);
        String id = objectId(root, "_id");
        JsonNode commands = root.get("commands");
        Object plainCommands = commands == null ? null : json.convertValue(commands, Object.class);
        return new Task(id, text(root, "name"), text(root, "job"), text(root, "job_type"), text(root, "task_type"),
                TaskCommands.decodeV2(plainCommands));
    }

    /** {@code WorkerStatus} (§4.4): a non-blank {@code status_requested} string. */
    String statusRequested(String body) throws UnusableReplyException {
        JsonNode node = object(body).get("status_requested");
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new UnusableReplyException("no status_requested string in " + quote(body));
        }
        return node.asText();
    }

    /** The fields of a {@code MayKeepRunningResponse} (§4.7); absent strings are "". */
    record MayKeepRunningDoc(boolean mayKeepRunning, String reason, String statusRequested) {
    }

    /** {@code MayKeepRunningResponse} (§4.7): {@code may_keep_running} must be a JSON boolean. */
    MayKeepRunningDoc mayKeepRunning(String body) throws UnusableReplyException {
        JsonNode root = object(body);
        JsonNode may = root.get("may_keep_running");
        if (may == null || !may.isBoolean()) {
            throw new UnusableReplyException("may_keep_running missing or not a boolean in " + quote(body));
        }
        return new MayKeepRunningDoc(may.booleanValue(), text(root, "reason"), text(root, "status_requested"));
    }

    private JsonNode object(String body) throws UnusableReplyException {
        return ReplyJson.object(json, body);
    }

    private static String objectId(JsonNode root, String field) throws UnusableReplyException {
        return ReplyJson.id(root, field, OBJECT_ID, "a 24-hex ObjectId");
    }

    private static String text(JsonNode root, String field) {
        return ReplyJson.text(root, field);
    }

    private static String quote(String s) {
        return ReplyJson.quote(s);
    }
}
