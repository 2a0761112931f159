package org.flamenco.worker.command;

/**
 * A subprocess that exited with status 0 (anything else is a {@link CommandFailedException}).
 *
 * @param pid the pid it had
 */
public record SubprocessResult(long pid) {
}
