package org.flamenco.worker.embedded;

import java.util.Map;
import java.util.Objects;

/** An answer of the endpoints, written to the exchange outside the state lock. */
record Reply(int status, String contentType, String body, Map<String, String> headers) {
    Reply {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    static Reply noContent() {
        return new Reply(204, "", "", Map.of());
    }

    /** A status without a body. */
    static Reply empty(int status) {
        return new Reply(status, "", "", Map.of());
    }

    /** A plain-text error the way Go's {@code http.Error} writes it: text plus a newline. */
    static Reply error(int status, String text) {
        return new Reply(status, "text/plain; charset=utf-8", text + "\n", Map.of());
    }

    static Reply json(int status, Object document) {
        return new Reply(status, "application/json", ManagerJson.encode(document), Map.of());
    }

    static Reply unauthorized() {
        return new Reply(401, "text/plain", "401 Unauthorized\n",
                Map.of("WWW-Authenticate", "Basic realm=\"Flamenco Manager\""));
    }

    static Reply canned(CannedReply canned) {
        return new Reply(canned.status(), canned.contentType(), canned.body(), canned.headers());
    }
}
