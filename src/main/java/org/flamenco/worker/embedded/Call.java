package org.flamenco.worker.embedded;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request as the endpoints see it; {@code headers} is looked up case-insensitively, {@code body} is the raw
 * UTF-8 (JSON is parsed from bytes: no second copy of a megabyte of log as a string). The array is not copied.
 */
record Call(String method, String path, Map<String, List<String>> headers, byte[] body, String userAgent) {
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
