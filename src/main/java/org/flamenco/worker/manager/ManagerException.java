package org.flamenco.worker.manager;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A Manager call that did not succeed, classified once by the protocol client: {@link #outcome()} is what it means
 * (callers switch on it), {@link #kind()} and {@link #status()} how it looked on the wire (for messages and
 * diagnostics only). The message names the endpoint, the status and the first part of the reply; it never contains
 * secrets.
 */
public final class ManagerException extends Exception {
    /** Outcome classes of protocol-v2.md §1.8 (2xx is not an exception). */
    public enum Kind {
        /** DNS, refused, reset, timeout, TLS failure, incomplete response. */
        NETWORK,
        /** An HTTP status the endpoint does not treat as success; see {@link #status()}. */
        HTTP,
        /** The expected status with a body that cannot be used. */
        BAD_REPLY
    }

    private static final int MAX_REPLY_CHARS = 200;

    private final Kind kind;
    private final ManagerOutcome outcome;
    private final Duration retryAfter;
    private final int status;
    private final String endpoint;
    private final String reply;

    /**
     * @param retryAfter how long the Manager asked the worker to wait ({@code Retry-After}), or null; only
     *                   meaningful with {@link ManagerOutcome#BUSY}
     */
    public ManagerException(Kind kind, ManagerOutcome outcome, int status, String endpoint, String reply,
                            Duration retryAfter, Throwable cause) {
        super(describe(kind, status, endpoint, reply, cause), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.retryAfter = retryAfter;
        this.status = status;
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.reply = abbreviate(Objects.requireNonNullElse(reply, ""));
    }

    /** No HTTP answer at all: always {@link ManagerOutcome#TRANSIENT}. */
    public static ManagerException network(String endpoint, Throwable cause) {
        return new ManagerException(Kind.NETWORK, ManagerOutcome.TRANSIENT, 0, endpoint, "", null, cause);
    }

    /** An HTTP answer the endpoint does not treat as success, with the outcome the protocol client gave it. */
    public static ManagerException http(String endpoint, int status, ManagerOutcome outcome, String reply) {
        return new ManagerException(Kind.HTTP, outcome, status, endpoint, reply, null, null);
    }

    /** A {@link ManagerOutcome#BUSY} answer that asked the worker to wait at least {@code retryAfter}. */
    public static ManagerException busy(String endpoint, int status, String reply, Duration retryAfter) {
        return new ManagerException(Kind.HTTP, ManagerOutcome.BUSY, status, endpoint, reply,
                Objects.requireNonNull(retryAfter, "retryAfter"), null);
    }

    public static ManagerException badReply(String endpoint, int status, String why) {
        return new ManagerException(Kind.BAD_REPLY, ManagerOutcome.BAD_REPLY, status, endpoint, why, null, null);
    }

    /** How the failure looked on the wire; decide with {@link #outcome()} instead. */
    public Kind kind() {
        return kind;
    }

    /** What the failure means: the one classification every caller switches on. */
    public ManagerOutcome outcome() {
        return outcome;
    }

    /** The Manager's {@code Retry-After} of a {@link ManagerOutcome#BUSY} answer: no retry before it has passed. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** HTTP status, or 0 for {@link Kind#NETWORK}. */
    public int status() {
        return status;
    }

    public String endpoint() {
        return endpoint;
    }

    /** The first 200 characters of the reply body (or the reason a reply was unusable). */
    public String reply() {
        return reply;
    }

    /** Shorthand for {@code outcome() == AUTH_FAILED}. */
    public boolean isAuthFailure() {
        return outcome == ManagerOutcome.AUTH_FAILED;
    }

    private static String describe(Kind kind, int status, String endpoint, String reply, Throwable cause) {
        return switch (kind) {
            case NETWORK -> endpoint + ": " + (cause == null ? "network error" : cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            case HTTP -> endpoint + ": HTTP " + status + replySuffix(reply);
            case BAD_REPLY -> endpoint + ": unusable reply (HTTP " + status + ")" + replySuffix(reply);
        };
    }

    private static String replySuffix(String reply) {
        String r = abbreviate(Objects.requireNonNullElse(reply, "")).strip();
        return r.isEmpty() ? "" : ": " + r;
    }

    private static String abbreviate(String s) {
        return s.length() <= MAX_REPLY_CHARS ? s : s.substring(0, MAX_REPLY_CHARS) + "…";
    }
}
