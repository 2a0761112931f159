package org.flamenco.worker.outbox;

/** The update queue database failed (cannot open, write or read). Messages name the file and the reason. */
public final class OutboxException extends Exception {
    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
