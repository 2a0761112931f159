package org.flamenco.worker.chaos;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} command-line options with defaults; an unknown option or a missing value is an error. */
final class Options {
    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    static Options parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!defaults.containsKey(name)) {
                throw new IllegalArgumentException("unknown option " + name + "; known: " + defaults.keySet());
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            values.put(name, args[++i]);
        }
        return new Options(values);
    }

    String get(String name) {
        return values.get(name);
    }

    int getInt(String name) {
        try {
            return Integer.parseInt(values.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + name + " must be a whole number: " + values.get(name));
        }
    }
}
