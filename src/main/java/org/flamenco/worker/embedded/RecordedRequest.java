package org.flamenco.worker.embedded;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request the {@link EmbeddedManager} received, in arrival order.
 *
 * @param sequence 0-based arrival number
 * @param headers  header name (case-insensitive lookup) → values
 * @param body     the body decoded as UTF-8 ({@code ""} when none)
 * @param status   the status answered, or 0 while the answer is still being prepared (slow replies), or -1
 *                 when the connection was dropped on purpose
 */
public record RecordedRequest(long sequence, Instant time, String method, String path,
                              Map<String, List<String>> headers, String body, int status) {
    public RecordedRequest {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        headers = Collections.unmodifiableMap(copy);
    }

    /** The first value of header {@code name}, if present. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** {@code "POST /task"}: method and path, handy for asserting sequences. */
    public String line() {
        return method + " " + path;
    }

    RecordedRequest withStatus(int answered) {
        return new RecordedRequest(sequence, time, method, path, headers, body, answered);
    }
}
