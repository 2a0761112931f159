package org.flamenco.worker.command.blender;

import java.util.ArrayList;
import java.util.List;

import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PythonText;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.command.ShellWords;
import org.flamenco.worker.command.ShellWordsException;

/**
 * Argument lists of the Flamenco 3 commands (commands.md §7): JSON arrays of strings and numbers, numbers written
 * without a {@code .0} ({@code 24}, {@code 23.976}), as Flamenco 3 (Go) writes them.
 */
public final class V3Arguments {
    private V3Arguments() {
    }

    /** The optional array {@code key}; absent or {@code null} is the empty list. */
    public static List<String> list(Settings s, String key) throws InvalidSettingException {
        Object raw = s.raw(key);
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> items)) {
            throw new InvalidSettingException("\"" + key + "\" must be an array, not " + Settings.typeName(raw));
        }
        List<String> out = new ArrayList<>(items.size());
        for (Object item : items) {
            if (item instanceof String text) {
                out.add(text);
            } else if (item instanceof Number n) {
                out.add(number(n));
            } else {
                throw new InvalidSettingException("\"" + key + "\" must be an array of strings and numbers, not "
                        + "containing " + Settings.typeName(item));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The words of the optional string {@code exeArgs} (the arguments that belong to the executable itself, split
     * as a shell would); absent is none.
     */
    public static List<String> exeArgs(Settings s) throws InvalidSettingException {
        try {
            return ShellWords.split(s.optString("exeArgs", ""));
        } catch (ShellWordsException e) {
            throw new InvalidSettingException("\"exeArgs\" cannot be split into words: " + e.getMessage());
        }
    }

    /** {@code 24.0} → {@code 24}; {@code 23.976} → {@code 23.976}. */
    public static String number(Number n) {
        double d = n.doubleValue();
        if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return PythonText.number(n);
    }
}
