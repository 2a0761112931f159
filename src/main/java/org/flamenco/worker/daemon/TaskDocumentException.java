package org.flamenco.worker.daemon;

/** A task document for {@code exec-task} cannot be used: missing, unreadable, not JSON or malformed. */
public final class TaskDocumentException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the problem, without the file name (the caller puts that in front) */
    public TaskDocumentException(String message) {
        super(message);
    }
}
