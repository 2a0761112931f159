package org.flamenco.worker.embedded;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A plain JDK HTTP client speaking to an {@link EmbeddedV3Manager} the way a Flamenco 3 worker does. */
final class V3Client {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;
    private String basic = "";

    V3Client(URI base) {
        this.base = base;
    }

    /** Registers, signs on and reports awake; returns the worker's UUID. */
    String join(String name, List<String> taskTypes) throws Exception {
        String id = register(name, taskTypes);
        expect(post("/api/v3/worker/sign-on", "{\"name\":\"" + name + "\",\"supported_task_types\":"
                + ManagerClient.JSON.writeValueAsString(taskTypes) + ",\"software_version\":\"test\"}"), 200);
        expect(post("/api/v3/worker/state-changed", "{\"status\":\"awake\"}"), 204);
        return id;
    }

    String register(String name, List<String> taskTypes) throws Exception {
        HttpResponse<String> r = post("/api/v3/worker/register-worker", ManagerClient.JSON.writeValueAsString(
                Map.of("secret", "s3cret-" + name, "platform", "linux", "supported_task_types", taskTypes,
                        "name", name)));
        expect(r, 200);
        String id = (String) ManagerClient.parse(r.body()).get("uuid");
        authenticateAs(id, "s3cret-" + name);
        return id;
    }

    void authenticateAs(String id, String secret) {
        basic = "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> post(String path, String jsonBody) throws Exception {
        return post(path, jsonBody.getBytes(StandardCharsets.UTF_8), jsonBody.isEmpty() ? "" : "application/json");
    }

    HttpResponse<String> post(String path, byte[] body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!contentType.isEmpty()) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        if (!basic.isEmpty()) {
            b.header("Authorization", basic);
        }
        return http.send(b.header("User-Agent", "Flamenco-Worker/test").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> expect(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new AssertionError(r.request().uri() + ": expected " + status + ", got " + r.statusCode() + " "
                    + r.body());
        }
        return r;
    }

    private URI uri(String path) {
        return base.resolve(path.substring(1));
    }
}
