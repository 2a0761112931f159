package org.flamenco.worker.manager.v3;

import java.time.Duration;
import java.util.Optional;

import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerOutcome;
import org.flamenco.worker.manager.v2.Scrubber;
import org.flamenco.worker.manager.v2.UnusableReplyException;

/**
 * A complete answer of the Flamenco 3 Manager and what the client makes of it: the expected status or a
 * {@link ManagerException} classified by {@link V3Outcomes}. {@code body} is raw; {@link #safe} scrubs text meant for
 * humans (logs, exception messages).
 */
record V3Reply(int status, String body, Optional<Duration> retryAfter, Scrubber scrub) {
    String safe(String text) {
        return scrub.apply(text);
    }

    interface ReplyReader<T> {
        T read() throws UnusableReplyException;
    }

    static <T> T read(String endpoint, V3Reply reply, ReplyReader<T> reader) throws ManagerException {
        try {
            return reader.read();
        } catch (UnusableReplyException e) {
            throw ManagerException.badReply(endpoint, reply.status(), reply.safe(e.getMessage()));
        }
    }

    static void requireStatus(String endpoint, V3Reply reply, int expected) throws ManagerException {
        if (reply.status() != expected) {
            throw failure(endpoint, reply);
        }
    }

    static void requireSuccess(String endpoint, V3Reply reply) throws ManagerException {
        if (reply.status() < 200 || reply.status() > 299) {
            throw failure(endpoint, reply);
        }
    }

    /** A task update's answer: anything but 2xx is a failure classified by {@link V3Outcomes#ofUpdate}. */
    static void requireUpdateAccepted(String endpoint, V3Reply reply) throws ManagerException {
        if (reply.status() < 200 || reply.status() > 299) {
            throw failure(endpoint, reply, V3Outcomes.ofUpdate(reply.status()));
        }
    }

    static ManagerException failure(String endpoint, V3Reply reply) {
        return failure(endpoint, reply, V3Outcomes.of(reply.status()));
    }

    private static ManagerException failure(String endpoint, V3Reply reply, ManagerOutcome outcome) {
        if (outcome == ManagerOutcome.BUSY && reply.retryAfter().isPresent()) {
            return ManagerException.busy(endpoint, reply.status(), reply.safe(reply.body()), reply.retryAfter().get());
        }
        return ManagerException.http(endpoint, reply.status(), outcome, reply.safe(reply.body()));
    }
}
