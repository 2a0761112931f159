package org.flamenco.worker.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain JDK HTTP client speaking to an {@link EmbeddedManager} the way a worker does. */
final class ManagerClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;
    private String basic = "";

    ManagerClient(URI base) {
        this.base = base;
    }

    /** Registers with open registration and uses the new credentials from now on; returns the worker id. */
    String register(String nickname, List<String> taskTypes) throws Exception {
        HttpResponse<String> r = post("/register-worker", registration(nickname, taskTypes), Map.of());
        if (r.statusCode() != 200) {
            throw new AssertionError("registration failed: " + r.statusCode() + " " + r.body());
        }
        String id = (String) parse(r.body()).get("_id");
        authenticateAs(id, "s3cret-" + nickname);
        return id;
    }

    static String registration(String nickname, List<String> taskTypes) throws IOException {
        return JSON.writeValueAsString(Map.of("secret", "s3cret-" + nickname, "platform", "linux",
                "supported_task_types", taskTypes, "nickname", nickname));
    }

    void authenticateAs(String id, String secret) {
        basic = "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body, Map.of("Authorization", basic));
    }

    HttpResponse<String> post(String path) throws Exception {
        return post(path, "");
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET().header("Authorization", basic));
    }

    HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (!body.isEmpty()) {
            b.header("Content-Type", "application/json; charset=utf-8");
        }
        headers.forEach((k, v) -> {
            if (!v.isEmpty()) {
                b.header(k, v);
            }
        });
        return send(b);
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return send(b, Duration.ofSeconds(10));
    }

    /** A POST with Basic auth that gives up after {@code timeout}. */
    HttpResponse<String> postWithTimeout(String path, String body, Duration timeout) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", basic), timeout);
    }

    private HttpResponse<String> send(HttpRequest.Builder b, Duration timeout) throws Exception {
        return http.send(b.header("User-Agent", "Flamenco-Worker/test").timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Object> parse(String json) throws IOException {
        return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
    }

    private URI uri(String path) {
        return base.resolve(path.substring(1));
    }
}
