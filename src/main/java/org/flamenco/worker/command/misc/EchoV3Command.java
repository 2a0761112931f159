package org.flamenco.worker.command.misc;

import java.util.List;
import java.util.Map;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.GoText;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/**
 * Flamenco 3's {@code echo} (commands.md §7): {@code message} may be any value; the task log gets
 * {@code echo: "<message>"}, quoted as Go's {@code %q} (a non-string value is written as its JSON text first).
 */
public final class EchoV3Command implements Command {
    public static final String NAME = "echo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        if (!settings.containsKey("message")) {
            throw new InvalidSettingException("Missing \"message\" (any value, e.g. \"hello\")");
        }
        String line = "echo: " + GoText.quote(text(settings.raw("message")));
        return context -> context.reporter().log(line);
    }

    /** Strings as they are; other JSON values as JSON text ({@code 3}, {@code true}, {@code [1,2]}). */
    static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            map.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(GoText.quote(String.valueOf(k)))
                    .append(':').append(value(v)));
            return sb.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            list.forEach(v -> sb.append(sb.length() > 1 ? "," : "").append(value(v)));
            return sb.append(']').toString();
        }
        return value instanceof Number n ? org.flamenco.worker.command.blender.V3Arguments.number(n)
                : String.valueOf(value);
    }

    private static String value(Object v) {
        return v instanceof String s ? GoText.quote(s) : text(v);
    }
}
