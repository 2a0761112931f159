package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.manager.v2.V2Settings;
import org.flamenco.worker.manager.v3.V3ManagerApi;
import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.TaskStatus;
import org.flamenco.worker.testing.RecordingCredentialsGuard;

/**
 * The sender with the real Flamenco 3 client over loopback (protocol-v3.md §6): a 404 or 409 on a task update drops
 * that execution's updates and asks the agent to check the task at once, so a still-running task stops promptly.
 */
@Timeout(30)
class V3SenderRefusalTest {
    private static final String TASK = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private final MockWebServer server = new MockWebServer();
    private final SystemClock clock = new SystemClock();
    private final List<String> checks = new CopyOnWriteArrayList<>();
    private V3ManagerApi api;
    private SqliteOutbox outbox;
    private Sender sender;

    @BeforeEach
    void start() throws Exception {
        server.start();
        api = new V3ManagerApi(V2Settings.defaults(server.url("/").toString()).withTimeouts(Duration.ofSeconds(2),
                Duration.ofSeconds(2)), false, image -> Optional.empty(), clock);
        api.useCredentials(new Credentials("2f0e3c7a-8d1b-4e5f-9a6b-7c8d9e0f1a2b", Secret.of("s".repeat(64))));
        outbox = SqliteOutbox.open(new OutboxSettings(dir.resolve("queue.db"), Duration.ofHours(1),
                Duration.ofHours(1), 1000, 0), clock);
        sender = new Sender(outbox, api, new RecordingCredentialsGuard(true), clock,
                new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)), () -> 0.5, checks::add);
        sender.start();
    }

    @AfterEach
    void stop() throws Exception {
        sender.close();
        outbox.close();
        api.close();
        server.close();
    }

    @Test
    void on404_dropsTheExecutionAndAsksTheAgentToCheckTheTask() throws Exception {
        refuseNextUpdate(404, "{\"code\":404,\"message\":\"task not found\"}");
        ExecutionId exec = outbox.beginExecution(TASK);

        outbox.captureActivity(exec, new ActivitySnapshot(TaskStatus.ACTIVE, "Started", 0, 0, 0, Map.of()));

        await().atMost(WAIT).until(() -> checks.contains(TASK));
        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void on409_dropsTheExecutionAndAsksTheAgentToCheckTheTask() throws Exception {
        refuseNextUpdate(409, "{\"code\":409,\"message\":\"task not assigned to you\"}");
        ExecutionId exec = outbox.beginExecution(TASK);

        outbox.captureActivity(exec, new ActivitySnapshot(TaskStatus.ACTIVE, "Started", 0, 0, 0, Map.of()));

        await().atMost(WAIT).until(() -> checks.contains(TASK));
        assertThat(outbox.awaitAllDelivered(WAIT)).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    private void refuseNextUpdate(int code, String body) {
        server.enqueue(new MockResponse.Builder().code(code).body(body).addHeader("Content-Type", "application/json")
                .build());
    }
}
