package org.flamenco.worker.embedded;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Request validation the way the Flamenco 3 Manager's OpenAPI middleware does it (protocol-v3.md §1, §11): a JSON
 * object body with {@code Content-Type: application/json}, every required key present, every known key of its exact
 * type and never {@code null}, enum values from the schema; unknown keys are accepted. A violation is a 400
 * {@code {"message": "…"}}.
 */
final class V3Json {
    static final List<String> WORKER_STATUSES = List.of("starting", "awake", "asleep", "error", "testing", "offline",
            "restart");
    static final List<String> TASK_STATUSES = List.of("active", "canceled", "completed", "failed", "queued",
            "soft-failed", "paused");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private V3Json() {
    }

    /** A request the Manager's validator rejects; the message goes into the 400 reply. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    static boolean isUuid(String s) {
        return s != null && UUID.matcher(s).matches();
    }

    /** The body of {@code call} as a JSON object of schema {@code schema}. */
    static ObjectNode body(Call call, String schema) throws Invalid {
        String type = call.header("Content-Type");
        if (!type.regionMatches(true, 0, "application/json", 0, "application/json".length())) {
            throw new Invalid("request body has an error: header Content-Type has unexpected value \"" + type
                    + "\"");
        }
        JsonNode node;
        try {
            node = ManagerJson.MAPPER.readTree(call.body());
        } catch (IOException e) {
            throw new Invalid("request body has an error: failed to decode request body: invalid JSON");
        }
        if (node == null || node.isMissingNode()) {
            throw new Invalid("request body has an error: value is required but missing");
        }
        if (!node.isObject()) {
            throw new Invalid("request body has an error: doesn't match schema #/components/schemas/" + schema
                    + ": value must be an object");
        }
        return (ObjectNode) node;
    }

    static String string(ObjectNode doc, String key, boolean required, String schema) throws Invalid {
        JsonNode v = present(doc, key, required, schema);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw mismatch(schema, key, "value must be a string");
        }
        return v.textValue();
    }

    static Long integer(ObjectNode doc, String key, boolean required, String schema) throws Invalid {
        JsonNode v = present(doc, key, required, schema);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw mismatch(schema, key, "value must be an integer");
        }
        return v.longValue();
    }

    static Boolean bool(ObjectNode doc, String key, boolean required, String schema) throws Invalid {
        JsonNode v = present(doc, key, required, schema);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw mismatch(schema, key, "value must be a boolean");
        }
        return v.booleanValue();
    }

    static List<String> strings(ObjectNode doc, String key, boolean required, String schema) throws Invalid {
        JsonNode v = present(doc, key, required, schema);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw mismatch(schema, key, "value must be an array");
        }
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw mismatch(schema, key, "item: value must be a string");
            }
            out.add(item.textValue());
        }
        return out;
    }

    static String oneOf(ObjectNode doc, String key, boolean required, String schema, List<String> values)
            throws Invalid {
        String v = string(doc, key, required, schema);
        if (v != null && !values.contains(v)) {
            throw mismatch(schema, key, "value is not one of the allowed values " + values);
        }
        return v;
    }

    /** The value of {@code key}, {@code null} when absent and optional; a JSON {@code null} is never allowed. */
    private static JsonNode present(ObjectNode doc, String key, boolean required, String schema) throws Invalid {
        JsonNode v = doc.get(key);
        if (v == null) {
            if (required) {
                throw mismatch(schema, key, "property \"" + key + "\" is missing");
            }
            return null;
        }
        if (v.isNull()) {
            throw mismatch(schema, key, "value must not be null");
        }
        return v;
    }

    private static Invalid mismatch(String schema, String key, String what) {
        return new Invalid("request body has an error: doesn't match schema #/components/schemas/" + schema
                + ": Error at \"/" + key + "\": " + what);
    }
}
