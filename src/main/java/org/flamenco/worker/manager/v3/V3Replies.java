package org.flamenco.worker.manager.v3;

import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.flamenco.worker.manager.v2.ReplyJson;
import org.flamenco.worker.manager.v2.UnusableReplyException;
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

    private final ObjectMapper json;
    private final ReplyJson reply;

    V3Replies(ObjectMapper json) {
        this.json = json;
        this.reply = new ReplyJson(json, UUID, "a UUID");
    }

    /** {@code RegisteredWorker}: only {@code uuid} is read. */
    String workerUuid(String body) throws UnusableReplyException {
        return reply.id(body, "uuid");
    }

    /** {@code WorkerStateChange}: a non-blank {@code status_requested} string. */
    String statusRequested(String body) throws UnusableReplyException {
        return reply.statusRequested(body);
    }

    /**
     * {@code AssignedTask}: {@code uuid} must be a UUID; {@code commands}
     * ({@code [{name, parameters, total_step_count}]}) is decoded into {@link TaskCommands}.
     */
    Task task(String body) throws UnusableReplyException {
        return reply.task(body, "uuid", TaskCommands::decodeV3);
    }

    /** {@code MayKeepRunning}: {@code mayKeepRunning} must be a JSON boolean; the others default. */
    Answer mayKeepRunning(String body) throws UnusableReplyException {
        JsonNode root = reply.object(body);
        boolean may = ReplyJson.requiredBoolean(root, "mayKeepRunning", body);
        JsonNode change = root.get("statusChangeRequested");
        return new Answer(may, ReplyJson.text(root, "reason"), change != null && change.asBoolean(false));
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
}
