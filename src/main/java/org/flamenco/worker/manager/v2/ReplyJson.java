package org.flamenco.worker.manager.v2;

import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.TaskCommands;

/**
 * Reading a Manager reply's JSON tree, for both protocols' reply readers ({@code WireReplies}, {@code V3Replies}),
 * which differ in field names and in the form of an id: a wrong type is noticed instead of coerced, only the fields
 * the worker cannot do without are checked, and what could not be used is quoted, shortened, in the
 * {@link UnusableReplyException}.
 */
public final class ReplyJson {
    private static final int QUOTE_CHARS = 80;

    private final ObjectMapper json;
    private final Pattern idForm;
    private final String idFormName;

    /**
     * @param idForm     what an id of this protocol looks like
     * @param idFormName how the form is named in the message, e.g. {@code a UUID}
     */
    public ReplyJson(ObjectMapper json, Pattern idForm, String idFormName) {
        this.json = json;
        this.idForm = idForm;
        this.idFormName = idFormName;
    }

    /** {@code body} as a JSON object. */
    public JsonNode object(String body) throws UnusableReplyException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new UnusableReplyException("not JSON: " + quote(body));
        }
        if (root == null || !root.isObject()) {
            throw new UnusableReplyException("not a JSON object: " + quote(body));
        }
        return root;
    }

    /** The id in {@code field} of the object {@code body} (a registration reply). */
    public String id(String body, String field) throws UnusableReplyException {
        return id(object(body), field);
    }

    /**
     * A task: the id in {@code idField}, the strings {@code name}, {@code job}, {@code job_type} and
     * {@code task_type}, and {@code commands} decoded by {@code decoder}; a malformed list is kept with its problem so
     * the task runner fails the task legibly.
     */
    public Task task(String body, String idField, Function<Object, TaskCommands> decoder)
            throws UnusableReplyException {
        JsonNode root = object(body);
        String id = id(root, idField);
        JsonNode commands = root.get("commands");
        Object plainCommands = commands == null ? null : json.convertValue(commands, Object.class);
        return new Task(id, text(root, "name"), text(root, "job"), text(root, "job_type"), text(root, "task_type"),
                decoder.apply(plainCommands));
    }

    /** A status request (v2 {@code WorkerStatus}, v3 {@code WorkerStateChange}): a non-blank status_requested. */
    public String statusRequested(String body) throws UnusableReplyException {
        JsonNode node = object(body).get("status_requested");
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new UnusableReplyException("no status_requested string in " + quote(body));
        }
        return node.asText();
    }

    /** The JSON boolean in {@code field} of {@code root}, read from {@code body}; required. */
    public static boolean requiredBoolean(JsonNode root, String field, String body) throws UnusableReplyException {
        JsonNode node = root.get(field);
        if (node == null || !node.isBoolean()) {
            throw new UnusableReplyException(field + " missing or not a boolean in " + quote(body));
        }
        return node.booleanValue();
    }

    /** The string in {@code field}, or empty when it is missing or not a string. */
    public static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node != null && node.isTextual() ? node.asText() : "";
    }

    /** {@code s} stripped, in single quotes, cut to 80 characters. */
    private static String quote(String s) {
        String t = s == null ? "" : s.strip();
        return "'" + (t.length() <= QUOTE_CHARS ? t : t.substring(0, QUOTE_CHARS) + "…") + "'";
    }

    private String id(JsonNode root, String field) throws UnusableReplyException {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual() || !idForm.matcher(node.asText()).matches()) {
            throw new UnusableReplyException(field + " is not " + idFormName + ": "
                    + (node == null ? "missing" : quote(node.toString())));
        }
        return node.asText();
    }
}
