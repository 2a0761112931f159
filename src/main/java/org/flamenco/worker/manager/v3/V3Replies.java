package org.flamenco.worker.manager.v3;

import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.TaskCommands;

/**
 * Lenient readers for the Flamenco 3 Manager's replies (protocol-v3.md §3, §11): only the fields the worker cannot
 * do without are checked (the UUIDs, {@code status_requested}, {@code mayKeepRunning}); extra, empty or missing
 * other fields are tolerated, because the Manager's own replies do not always match its schema (the registration
 * reply has {@code status: ""}). Works on the JSON tree so a wrong type is noticed instead of coerced.
 */
final class V3Replies {
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int QUOTE_CHARS = 80;

    private final ObjectMapper json;

    V3Replies(ObjectMapper json) {
        this.json = json;
    }

    /** {@code RegisteredWorker}: only {@code uuid} is read. */
    String workerUuid(String body) throws UnusableReply {
        return uuid(object(body), "uuid");
    }

    /** {@code WorkerStateChange}: a non-blank {@code status_requested} string. */
    String statusRequested(String body) throws UnusableReply {
        JsonNode node = object(body).get("status_requested");
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new UnusableReply("no status_requested string in " + quote(body));
        }
        return node.asText();
    }

    /**
     * {@code AssignedTask}: {@code uuid} must be a UUID; {@code commands}
     * ({@code [{name, parameters, total_step_count}]}) is decoded into {@link TaskCommands}; a malformed list is kept
     * with its problem so the task runner fails the task legibly.
     */
    Task task(String body) throws UnusableReply {
        JsonNode root = object(body);
        String id = uuid(root, "uuid");
        JsonNode commands = root.get("commands");
        Object plainCommands = commands == null ? null : json.convertValue(commands, Object.class);
        return new Task(id, text(root, "name"), text(root, "job"), text(root, "job_type"), text(root, "task_type"),
                TaskCommands.decodeV3(plainCommands));
    }

    /** {@code MayKeepRunning}: {@code mayKeepRunning} must be a JSON boolean; the others default. */
    Answer mayKeepRunning(String body) throws UnusableReply {
        JsonNode root = object(body);
        JsonNode may = root.get("mayKeepRunning");
        if (may == null || !may.isBoolean()) {
            throw new UnusableReply("mayKeepRunning missing or not a boolean in " + quote(body));
        }
        JsonNode change = root.get("statusChangeRequested");
        return new Answer(may.booleanValue(), text(root, "reason"), change != null && change.asBoolean(false));
    }

    /** The may-i-run answer as sent; {@code statusChangeRequested} true implies {@code mayKeepRunning} false. */
    record Answer(boolean mayKeepRunning, String reason, boolean statusChangeRequested) {
    }

    /** {@code FlamencoVersion}: true for a JSON object with a {@code version} string (protocol-v3.md §8). */
    boolean isVersionDocument(String body) {
        try {
            JsonNode root = json.readTree(body);
            return root != null && root.isObject() && root.path("version").isTextual();
        } catch (JacksonException e) {
            return false;
        }
    }

    private JsonNode object(String body) throws UnusableReply {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new UnusableReply("not JSON: " + quote(body));
        }
        if (root == null || !root.isObject()) {
            throw new UnusableReply("not a JSON object: " + quote(body));
        }
        return root;
    }

    private static String uuid(JsonNode root, String field) throws UnusableReply {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual() || !UUID.matcher(node.asText()).matches()) {
            throw new UnusableReply(field + " is not a UUID: " + (node == null ? "missing" : quote(node.toString())));
        }
        return node.asText();
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node != null && node.isTextual() ? node.asText() : "";
    }

    private static String quote(String s) {
        String t = s == null ? "" : s.strip();
        return "'" + (t.length() <= QUOTE_CHARS ? t : t.substring(0, QUOTE_CHARS) + "…") + "'";
    }

    /** A reply with the expected status whose body the worker cannot use. */
    static final class UnusableReply extends Exception {
        UnusableReply(String message) {
            super(message);
        }
    }
}
