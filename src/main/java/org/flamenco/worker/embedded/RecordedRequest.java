package org.flamenco.worker.embedded;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request the {@link EmbeddedManager} received, in arrival order. Immutable; the body is kept as the bytes
 * received and decoded as UTF-8 on first use (most bodies are never looked at, and a log update is ≈ 50 KB).
 */
public final class RecordedRequest {
    private final long sequence;
    private final Instant time;
    private final String method;
    private final String path;
    private final Map<String, List<String>> headers;
    private final byte[] rawBody;
    private final int status;
    private volatile String body;

    /**
     * @param sequence 0-based arrival number
     * @param headers  header name (case-insensitive lookup) → values
     * @param rawBody  the body as received (empty when none); not copied, so not to be changed afterwards
     * @param status   the status answered, or 0 while the answer is still being prepared (slow replies), or -1
     *                 when the connection was dropped on purpose
     */
    RecordedRequest(long sequence, Instant time, String method, String path, Map<String, List<String>> headers,
                    byte[] rawBody, int status) {
        this.sequence = sequence;
        this.time = Objects.requireNonNull(time, "time");
        this.method = Objects.requireNonNull(method, "method");
        this.path = Objects.requireNonNull(path, "path");
        this.rawBody = Objects.requireNonNull(rawBody, "rawBody");
        this.status = status;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(copy);
    }

    private RecordedRequest(RecordedRequest r, int status) {
        this.sequence = r.sequence;
        this.time = r.time;
        this.method = r.method;
        this.path = r.path;
        this.headers = r.headers;
        this.rawBody = r.rawBody;
        this.body = r.body;
        this.status = status;
    }

    /** 0-based arrival number. */
    public long sequence() {
        return sequence;
    }

    public Instant time() {
        return time;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** Header name (case-insensitive lookup) → values. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The body decoded as UTF-8 ({@code ""} when none). */
    public String body() {
        String b = body;
        if (b == null) {
            b = new String(rawBody, StandardCharsets.UTF_8);
            body = b;
        }
        return b;
    }

    /**
     * The status answered, or 0 while the answer is still being prepared (slow replies), or -1 when the connection
     * was dropped on purpose.
     */
    public int status() {
        return status;
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
        return new RecordedRequest(this, answered);
    }

    @Override
    public String toString() {
        return "RecordedRequest[" + sequence + " " + line() + " → " + status + ", " + rawBody.length + " bytes]";
    }
}
