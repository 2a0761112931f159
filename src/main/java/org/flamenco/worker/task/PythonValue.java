package org.flamenco.worker.task;

import java.util.List;
import java.util.Map;

import org.flamenco.worker.command.PythonText;

/** A decoded JSON value written as Python's {@code repr} would (for messages about malformed tasks). */
final class PythonValue {
    private PythonValue() {
    }

    static String repr(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof String s) {
            return PythonText.repr(s);
        }
        if (v instanceof Number n) {
            return PythonText.number(n);
        }
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (Object item : list) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(repr(item));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
            }
            return sb.append('}').toString();
        }
        return String.valueOf(v);
    }
}
