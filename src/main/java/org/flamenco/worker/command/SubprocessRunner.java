package org.flamenco.worker.command;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/** Runs one subprocess for a command with all the logging and failure texts of commands.md §2. */
final class SubprocessRunner {
    private final CommandContext context;
    private final Supplier<StopMode> stopMode;

    SubprocessRunner(CommandContext context, Supplier<StopMode> stopMode) {
        this.context = Objects.requireNonNull(context, "context");
        this.stopMode = Objects.requireNonNull(stopMode, "stopMode");
    }

    SubprocessResult run(List<String> argv, LineProcessor processor)
            throws CommandFailedException, InterruptedException {
        throw new UnsupportedOperationException("not yet");
    }
}
