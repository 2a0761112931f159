package org.flamenco.worker.embedded;

/** An {@link EmbeddedManager} wait ran out of time; the message says what was awaited and what was seen. */
public final class AwaitTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AwaitTimeoutException(String message) {
        super(message);
    }
}
