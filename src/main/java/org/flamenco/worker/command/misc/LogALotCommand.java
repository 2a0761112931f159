package org.flamenco.worker.command.misc;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/** {@code log_a_lot} (commands.md §3.2): writes many long lines, for testing log throughput. */
public final class LogALotCommand implements Command {
    public static final String NAME = "log_a_lot";
    private static final long DEFAULT_LINES = 20_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        Object raw = settings.raw("lines");
        long lines;
        if (raw == null) {
            lines = DEFAULT_LINES;
        } else if (raw instanceof Number n) {
            lines = n.longValue(); // a fraction is truncated
        } else {
            throw new InvalidSettingException("\"lines\" setting must be an integer, not " + Settings.typeName(raw));
        }
        return context -> {
            context.reporter().activity("logging " + lines + " lines");
            int lastProgress = -1;
            for (long i = 0; i < lines; i++) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("log_a_lot stopped");
                }
                context.reporter().log(("This is line " + i).repeat(30));
                int progress = (int) (100 * i / lines);
                if (progress != lastProgress) {
                    context.reporter().commandProgress(progress);
                    lastProgress = progress;
                }
            }
        };
    }
}
