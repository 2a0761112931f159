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

    private final ReplyJson reply;

    WireReplies(ObjectMapper json) {
        this.reply = new ReplyJson(json, OBJECT_ID, "a 24-hex ObjectId");
    }

    /** {@code Worker} (§4.2): only {@code _id} is read. */
    String workerId(String body) throws UnusableReplyException {
        return reply.id(body, "_id");
    }

    /** {@code Task} (§4.5); {@code commands} is decoded into {@link TaskCommands}. */
    Task task(String body) throws UnusableReplyException {
        return reply.task(body, "_id", TaskCommands::decodeV2);
    }

    /** {@code WorkerStatus} (§4.4): a non-blank {@code status_requested} string. */
    String statusRequested(String body) throws UnusableReplyException {
        return reply.statusRequested(body);
    }

    /** The fields of a {@code MayKeepRunningResponse} (§4.7); absent strings are "". */
    record MayKeepRunningDoc(boolean mayKeepRunning, String reason, String statusRequested) {
    }

    /** {@code MayKeepRunningResponse} (§4.7): {@code may_keep_running} must be a JSON boolean. */
    MayKeepRunningDoc mayKeepRunning(String body) throws UnusableReplyException {
        JsonNode root = reply.object(body);
        return new MayKeepRunningDoc(ReplyJson.requiredBoolean(root, "may_keep_running", body),
                ReplyJson.text(root, "reason"), ReplyJson.text(root, "status_requested"));
    }
}
