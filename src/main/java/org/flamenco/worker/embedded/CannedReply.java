package org.flamenco.worker.embedded;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An answer the {@link EmbeddedManager} gives instead of the real one (fault injection). A canned reply never
 * changes the Manager's state: the request is recorded and otherwise ignored.
 *
 * @param status      HTTP status; {@link #DISCONNECT} closes the connection without any response
 * @param contentType {@code Content-Type} header, or {@code ""} for none
 * @param body        response body ({@code ""} for none)
 * @param headers     extra response headers ({@code Retry-After}, …)
 */
public record CannedReply(int status, String contentType, String body, Map<String, String> headers) {
    /** Pseudo status: drop the connection without answering (a network error for the client). */
    public static final int DISCONNECT = -1;

    public CannedReply {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
        if (status != DISCONNECT && (status < 100 || status > 599)) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
    }

    /** A reply without extra headers. */
    public CannedReply(int status, String contentType, String body) {
        this(status, contentType, body, Map.of());
    }

    /** This reply with one more header, e.g. {@code withHeader("Retry-After", "3")}. */
    public CannedReply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new CannedReply(status, contentType, body, more);
    }

    /** A plain-text reply, e.g. {@code text(503, "Service Unavailable")}. */
    public static CannedReply text(int status, String body) {
        return new CannedReply(status, "text/plain; charset=utf-8", body);
    }

    /** A reply labelled JSON whose body is given verbatim (valid or not). */
    public static CannedReply json(int status, String body) {
        return new CannedReply(status, "application/json", body);
    }

    /** A reply with the status only: no body, no content type. */
    public static CannedReply empty(int status) {
        return new CannedReply(status, "", "");
    }

    /** Close the connection without a response. */
    public static CannedReply disconnect() {
        return new CannedReply(DISCONNECT, "", "");
    }
}
