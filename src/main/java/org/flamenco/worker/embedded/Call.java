package org.flamenco.worker.embedded;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One HTTP request as the endpoints see it; {@code headers} is looked up case-insensitively. */
record Call(String method, String path, Map<String, List<String>> headers, String body, String userAgent) {
    Call {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        userAgent = Objects.requireNonNullElse(userAgent, "");
    }

    /** The first value of a header, or {@code ""}. */
    String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }
}
