package org.flamenco.worker.manager.v2;

import java.time.Duration;
import java.util.Optional;

import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerOutcome;

/**
 * A complete answer of a Manager of either protocol. {@code body} is raw (parsed as is); {@link #safe} scrubs text
 * meant for humans (logs, exception messages). {@code retryAfter} is the Manager's {@code Retry-After}, capped
 * ({@link RetryAfter}); the v3 client hands it to the caller, the v2 client ignores it.
 */
public record ManagerReply(int status, String body, Optional<Duration> retryAfter, Scrubber scrub) {
    /** Reads what the worker needs from a reply body. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(String body) throws UnusableReplyException;
    }

    public String safe(String text) {
        return scrub.apply(text);
    }

    /** A 2xx status. */
    public boolean isSuccess() {
        return status >= 200 && status <= 299;
    }

    /** What {@code reader} makes of the body; a body it cannot use is a {@code BAD_REPLY} failure of the endpoint. */
    public <T> T read(String endpoint, Reader<T> reader) throws ManagerException {
        try {
            return reader.read(body);
        } catch (UnusableReplyException e) {
            throw ManagerException.badReply(endpoint, status, safe(e.getMessage()));
        }
    }

    /** This answer as a failure of {@code endpoint}, classified by the protocol's table as {@code outcome}. */
    public ManagerException failure(String endpoint, ManagerOutcome outcome) {
        return ManagerException.http(endpoint, status, outcome, safe(body));
    }
}
