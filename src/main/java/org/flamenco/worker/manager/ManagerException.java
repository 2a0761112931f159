package org.flamenco.worker.manager;

import java.util.Objects;

/**
 * A Manager call that did not succeed, classified once (protocol-v2.md §1.8). The message names the endpoint,
 * the status and the first part of the reply; it never contains secrets.
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
    private final int status;
    private final String endpoint;
    private final String reply;

    public ManagerException(Kind kind, int status, String endpoint, String reply, Throwable cause) {
        super(describe(kind, status, endpoint, reply, cause), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.status = status;
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.reply = abbreviate(Objects.requireNonNullElse(reply, ""));
    }

    public static ManagerException network(String endpoint, Throwable cause) {
        return new ManagerException(Kind.NETWORK, 0, endpoint, "", cause);
    }

    public static ManagerException http(String endpoint, int status, String reply) {
        return new ManagerException(Kind.HTTP, status, endpoint, reply, null);
    }

    public static ManagerException badReply(String endpoint, int status, String why) {
        return new ManagerException(Kind.BAD_REPLY, status, endpoint, why, null);
    }

    public Kind kind() {
        return kind;
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

    public boolean isUnauthorized() {
        return kind == Kind.HTTP && status == 401;
    }

    /** Network failures and 5xx: the Manager may well accept the same request later. */
    public boolean isServerSideOrNetwork() {
        return kind == Kind.NETWORK || (kind == Kind.HTTP && status >= 500);
    }

    /** True when the Manager itself answered with a status below 500 ("reachable", protocol-v2.md §1.8). */
    public boolean managerReachable() {
        return kind != Kind.NETWORK && status > 0 && status < 500;
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
