package org.flamenco.worker.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Python {@code configparser.ExtendedInterpolation} over the merged layers: {@code ${key}} names a key of the same
 * section, {@code ${section:key}} one of another section, {@code $$} is a literal {@code $}; any other {@code $} is
 * an error. References are resolved recursively up to 10 levels, like the original.
 */
final class Interpolator {
    private static final int MAX_DEPTH = 10;
    private static final String EXPECTED_SYNTAX =
            "expected \"$$\" for a literal \"$\", or a reference \"${key}\" or \"${section:key}\"";

    private final Map<String, Map<String, RawValue>> raw;

    Interpolator(Map<String, Map<String, RawValue>> raw) {
        this.raw = raw;
    }

    /**
     * Every section with every value interpolated, in order. An error in one of {@code strictSections} is thrown;
     * elsewhere (sections the original worker never interpolated, such as the logging ones) it becomes a warning
     * and the value is kept as written.
     */
    Map<String, Map<String, String>> interpolateAll(Set<String> strictSections, List<String> warnings)
            throws ConfigException {
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, RawValue>> section : raw.entrySet()) {
            Map<String, String> values = new LinkedHashMap<>();
            for (Map.Entry<String, RawValue> entry : section.getValue().entrySet()) {
                RawValue value = entry.getValue();
                StringBuilder out = new StringBuilder();
                try {
                    expand(section.getKey(), entry.getKey(), value, value.text(), 1, out);
                    values.put(entry.getKey(), out.toString());
                } catch (ConfigException e) {
                    if (strictSections.contains(section.getKey())) {
                        throw e;
                    }
                    warnings.add(e.getMessage() + "; value used as written");
                    values.put(entry.getKey(), value.text());
                }
            }
            result.put(section.getKey(), values);
        }
        return result;
    }

    private void expand(String section, String key, RawValue origin, String text, int depth, StringBuilder out)
            throws ConfigException {
        if (depth > MAX_DEPTH) {
            throw error(section, key, origin, "expected at most " + MAX_DEPTH + " levels of nested references");
        }
        int i = 0;
        while (i < text.length()) {
            int dollar = text.indexOf('$', i);
            if (dollar < 0) {
                out.append(text, i, text.length());
                return;
            }
            out.append(text, i, dollar);
            char next = dollar + 1 < text.length() ? text.charAt(dollar + 1) : '\0';
            if (next == '$') {
                out.append('$');
                i = dollar + 2;
                continue;
            }
            int close = next == '{' ? text.indexOf('}', dollar + 2) : -1;
            if (close < 0 || close == dollar + 2) {
                throw error(section, key, origin, EXPECTED_SYNTAX);
            }
            String[] path = text.substring(dollar + 2, close).split(":", -1);
            if (path.length > 2) {
                throw error(section, key, origin, EXPECTED_SYNTAX);
            }
            String refSection = path.length == 1 ? section : path[0];
            String refKey = path[path.length - 1].toLowerCase(Locale.ROOT);
            RawValue target = raw.getOrDefault(refSection, Map.of()).get(refKey);
            if (target == null) {
                throw error(section, key, origin,
                        "expected a reference to an existing key, but [" + refSection + "] " + refKey
                                + " does not exist");
            }
            expand(refSection, refKey, origin, target.text(), depth + 1, out);
            i = close + 1;
        }
    }

    private static ConfigException error(String section, String key, RawValue origin, String expected) {
        return new ConfigException(ConfigMessages.invalid(origin.origin(), section, key, origin.text(), expected));
    }
}
