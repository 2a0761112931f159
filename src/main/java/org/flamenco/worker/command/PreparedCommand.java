package org.flamenco.worker.command;

/** A command with validated settings, ready to run once (commands.md §1.2 step 3). */
@FunctionalInterface
public interface PreparedCommand {
    /**
     * Runs the command, reporting through {@link CommandContext#reporter()}.
     *
     * @throws CommandFailedException a deliberate failure; its message follows {@code Error executing: }
     * @throws InterruptedException   the task is being stopped: subprocesses are already stopped, no failure text
     */
    void execute(CommandContext context) throws CommandFailedException, InterruptedException;
}
