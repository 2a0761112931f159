package org.flamenco.worker.command;

/** A command failed deliberately; the message follows {@code Error executing: } in the task log and activity. */
public final class CommandFailedException extends Exception {
    public CommandFailedException(String message) {
        super(message);
    }

    public CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
