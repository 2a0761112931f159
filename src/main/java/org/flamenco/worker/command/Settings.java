package org.flamenco.worker.command;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command's {@code settings} object with typed reads that produce the messages of commands.md §1.3:
 * {@code Missing "<key>"}, {@code "<key>" must be <type>, not <actual>}. Optional settings that are absent or
 * {@code null} yield the default. Booleans are never numbers.
 */
public final class Settings {
    private final Map<String, Object> values;

    public Settings(Map<String, ?> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public boolean has(String key) {
        return values.get(key) != null;
    }

    /** True when the key is present, even with a {@code null} value. */
    public boolean containsKey(String key) {
        return values.containsKey(key);
    }

    public String requireString(String key) throws InvalidSettingException {
        return asString(key, require(key, "a string"));
    }

    public String optString(String key, String defaultValue) throws InvalidSettingException {
        Object v = values.get(key);
        return v == null ? defaultValue : asString(key, v);
    }

    public long requireInteger(String key) throws InvalidSettingException {
        return asInteger(key, require(key, "an integer"));
    }

    public long optInteger(String key, long defaultValue) throws InvalidSettingException {
        Object v = values.get(key);
        return v == null ? defaultValue : asInteger(key, v);
    }

    public double requireNumber(String key) throws InvalidSettingException {
        return asNumber(key, require(key, "a number"));
    }

    public double optNumber(String key, double defaultValue) throws InvalidSettingException {
        Object v = values.get(key);
        return v == null ? defaultValue : asNumber(key, v);
    }

    /** The raw number as given, so callers can tell {@code 24} from {@code 24.0} (commands.md §1.3 number output). */
    public Optional<Number> optRawNumber(String key) throws InvalidSettingException {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        asNumber(key, v);
        return Optional.of((Number) v);
    }

    public boolean optBoolean(String key, boolean defaultValue) throws InvalidSettingException {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrongType(key, "a boolean", v);
    }

    /** A JSON array of strings. */
    public List<String> requireStringList(String key) throws InvalidSettingException {
        Object v = require(key, "an array");
        if (!(v instanceof List<?> list)) {
            throw wrongType(key, "an array", v);
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw new InvalidSettingException(
                        "\"" + key + "\" must be an array of strings, not containing " + typeName(item));
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    /** The raw value (or null), for commands with their own rules. */
    public Object raw(String key) {
        return values.get(key);
    }

    private Object require(String key, String type) throws InvalidSettingException {
        if (!values.containsKey(key)) {
            throw new InvalidSettingException("Missing \"" + key + "\"");
        }
        Object v = values.get(key);
        if (v == null) {
            throw new InvalidSettingException("\"" + key + "\" must be " + type + ", not null");
        }
        return v;
    }

    private static String asString(String key, Object v) throws InvalidSettingException {
        if (v instanceof String s) {
            return s;
        }
        throw wrongType(key, "a string", v);
    }

    private static long asInteger(String key, Object v) throws InvalidSettingException {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        if ((v instanceof Double || v instanceof Float || v instanceof BigDecimal) && !(v instanceof Boolean)) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                return (long) d;
            }
        }
        throw wrongType(key, "an integer", v);
    }

    private static double asNumber(String key, Object v) throws InvalidSettingException {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw wrongType(key, "a number", v);
    }

    private static InvalidSettingException wrongType(String key, String type, Object actual) {
        return new InvalidSettingException("\"" + key + "\" must be " + type + ", not " + typeName(actual));
    }

    /** The JSON type name as used in messages: {@code a string}, {@code an integer}, {@code null}… */
    public static String typeName(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Integer || v instanceof Long || v instanceof BigInteger || v instanceof Short) {
            return "an integer";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof Map) {
            return "an object";
        }
        return v.getClass().getSimpleName();
    }
}
