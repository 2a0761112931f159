package org.flamenco.worker.command.misc;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.GoText;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.command.blender.V3Arguments;

/**
 * Flamenco 3's {@code sleep} (commands.md §7): waits {@code duration_in_seconds} (a number ≥ 0) with the wait of
 * the v2 {@code sleep}, then logs {@code slept <duration>} (Go duration text, e.g. {@code 1.5s}).
 */
public final class SleepV3Command implements Command {
    public static final String NAME = "sleep";
    private static final String KEY = "duration_in_seconds";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        if (!settings.containsKey(KEY)) {
            throw new InvalidSettingException("Missing \"" + KEY + "\" (a number of seconds >= 0)");
        }
        Object raw = settings.raw(KEY);
        if (!(raw instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < 0) {
            String shown = raw instanceof Number n2 ? V3Arguments.number(n2) : Settings.typeName(raw);
            throw new InvalidSettingException("\"" + KEY + "\" must be a number of seconds >= 0, not " + shown);
        }
        double seconds = ((Number) raw).doubleValue();
        String slept = "slept " + GoText.duration(Math.round(seconds * 1e9));
        return context -> {
            SleepCommand.sleep(context.clock(), seconds, context.reporter()::commandProgress);
            context.reporter().log(slept);
        };
    }
}
