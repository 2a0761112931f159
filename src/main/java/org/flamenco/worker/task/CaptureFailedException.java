package org.flamenco.worker.task;

import org.flamenco.worker.outbox.OutboxException;

/** The outbox could not store a capture; carried through command code that cannot declare it. */
final class CaptureFailedException extends RuntimeException {
    CaptureFailedException(OutboxException cause) {
        super(cause.getMessage(), cause);
    }

    OutboxException outboxCause() {
        return (OutboxException) getCause();
    }
}
