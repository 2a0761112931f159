package org.flamenco.worker.manager.v2;

import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reading a Manager reply's JSON tree, for both protocols' reply readers ({@code WireReplies}, {@code V3Replies}):
 * a wrong type is noticed instead of coerced, and what could not be used is quoted, shortened, in the
 * {@link UnusableReplyException}.
 */
public final class ReplyJson {
    private static final int QUOTE_CHARS = 80;

    private ReplyJson() {
    }

    /** {@code body} as a JSON object. */
    public static JsonNode object(ObjectMapper json, String body) throws UnusableReplyException {
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

    /**
     * The id in {@code field}, a string matching {@code form}.
     *
     * @param formName how the form is named in the message, e.g. {@code a UUID}
     */
    public static String id(JsonNode root, String field, Pattern form, String formName)
            throws UnusableReplyException {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual() || !form.matcher(node.asText()).matches()) {
            throw new UnusableReplyException(field + " is not " + formName + ": "
                    + (node == null ? "missing" : quote(node.toString())));
        }
        return node.asText();
    }

    /** The string in {@code field}, or empty when it is missing or not a string. */
    public static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node != null && node.isTextual() ? node.asText() : "";
    }

    /** {@code s} stripped, in single quotes, cut to 80 characters. */
    public static String quote(String s) {
        String t = s == null ? "" : s.strip();
        return "'" + (t.length() <= QUOTE_CHARS ? t : t.substring(0, QUOTE_CHARS) + "…") + "'";
    }
}
