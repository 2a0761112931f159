package org.flamenco.worker.embedded;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON the way the Manager's Go decoder sees it: unknown fields ignored, {@code null} leaves a field at its zero
 * value, but a value of the wrong JSON type (or a number with a fraction or exponent for a Go {@code int}) is an
 * error that the Manager answers with 400 {@code Unable to decode JSON: <error>} (protocol-v2.md §1.5, §1.6).
 */
final class ManagerJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{24}");
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private ManagerJson() {
    }

    /** A body the Go decoder would reject; the message is the decoder's error text. */
    static final class DecodeException extends Exception {
        private static final long serialVersionUID = 1L;

        DecodeException(String message) {
            super(message);
        }
    }

    static boolean isObjectId(String s) {
        return s != null && OBJECT_ID.matcher(s).matches();
    }

    /** Parses {@code body} as one JSON object (Go struct {@code goType}); trailing data is ignored like Go's. */
    static ObjectNode decodeObject(byte[] body, String goType) throws DecodeException {
        if (isBlank(body)) {
            throw new DecodeException("EOF");
        }
        JsonNode node;
        try {
            // From UTF-8 bytes: Jackson's byte parser is much faster than its Reader-based one on a megabyte of log.
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new DecodeException("invalid JSON: " + (msg == null ? "syntax error" : msg.lines().findFirst()
                    .orElse("syntax error")));
        }
        if (node == null || node.isMissingNode()) {
            throw new DecodeException("EOF");
        }
        if (node.isNull()) {
            return MAPPER.createObjectNode(); // Go decodes null into a struct as "no change"
        }
        if (!node.isObject()) {
            throw new DecodeException("json: cannot unmarshal " + goKind(node) + " into Go value of type " + goType);
        }
        return (ObjectNode) node;
    }

    /** Only JSON white space (what Go's decoder skips before reporting EOF). */
    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    static void checkInt(ObjectNode doc, String field, String goType) throws DecodeException {
        JsonNode v = doc.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isIntegralNumber()) {
            throw mismatch(v, goType, field, "int");
        }
        BigInteger big = v.bigIntegerValue();
        if (big.compareTo(INT64_MIN) < 0 || big.compareTo(INT64_MAX) > 0) {
            throw mismatch(v, goType, field, "int");
        }
    }

    static void checkString(ObjectNode doc, String field, String goType) throws DecodeException {
        JsonNode v = doc.get(field);
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw mismatch(v, goType, field, "string");
        }
    }

    static void checkStringArray(ObjectNode doc, String field, String goType) throws DecodeException {
        JsonNode v = doc.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isArray()) {
            throw mismatch(v, goType, field, "[]string");
        }
        for (JsonNode item : v) {
            if (!item.isTextual() && !item.isNull()) {
                throw mismatch(item, goType, field, "string");
            }
        }
    }

    /** An ObjectId field: {@code ""}, {@code null} or 24 hex digits. */
    static void checkObjectId(ObjectNode doc, String field) throws DecodeException {
        JsonNode v = doc.get(field);
        if (v == null || v.isNull() || (v.isTextual() && (v.asText().isEmpty() || isObjectId(v.asText())))) {
            return;
        }
        throw new DecodeException("invalid ObjectId in JSON: " + v);
    }

    /** {@code metrics}: {@code {"timing": {<name>: <number>}}}. */
    static void checkMetrics(ObjectNode doc, String goType) throws DecodeException {
        JsonNode m = doc.get("metrics");
        if (m == null || m.isNull()) {
            return;
        }
        if (!m.isObject()) {
            throw mismatch(m, goType, "metrics", "TaskMetrics");
        }
        JsonNode timing = m.get("timing");
        if (timing == null || timing.isNull()) {
            return;
        }
        if (!timing.isObject()) {
            throw mismatch(timing, goType, "metrics.timing", "map[string]float64");
        }
        Iterator<Map.Entry<String, JsonNode>> it = timing.fields();
        while (it.hasNext()) {
            JsonNode value = it.next().getValue();
            if (!value.isNumber() && !value.isNull()) {
                throw mismatch(value, goType, "metrics.timing", "float64");
            }
        }
    }

    /** The document as plain maps, lists, strings, numbers and booleans (strings shared, not copied). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(ObjectNode doc) {
        return (Map<String, Object>) plain(doc);
    }

    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(n -> list.add(plain(n)));
            return list;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return null;
    }

    static String encode(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode as JSON: " + value, e);
        }
    }

    private static DecodeException mismatch(JsonNode v, String goType, String field, String fieldType) {
        return new DecodeException("json: cannot unmarshal " + goKind(v) + " into Go struct field " + goType + "."
                + field + " of type " + fieldType);
    }

    private static String goKind(JsonNode v) {
        if (v.isNumber()) {
            return "number " + v.asText();
        }
        if (v.isTextual()) {
            return "string";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        if (v.isArray()) {
            return "array";
        }
        return v.isObject() ? "object" : "null";
    }
}
