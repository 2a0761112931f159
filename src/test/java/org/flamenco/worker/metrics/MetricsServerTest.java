package org.flamenco.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.flamenco.worker.testing.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MetricsServerTest {
    private final FakeClock clock = new FakeClock();
    private final InMemoryMetrics metrics = new InMemoryMetrics(clock);
    private final HttpClient http = HttpClient.newHttpClient();
    private MetricsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void metricsShowWhatWasRecorded() throws Exception {
        start(Duration.ofMinutes(5));
        metrics.workerState(WorkerState.AWAKE);
        metrics.taskStarted("task-1");
        metrics.taskProgress(45);
        metrics.commandFinished("blender-render", "ok");
        metrics.managerRequest("POST /task", 200, 3_000_000);
        metrics.managerRequest("POST /tasks/{id}/update", 0, 40_000_000);
        metrics.queueSampled(120, 5000, Duration.ofSeconds(30));
        metrics.senderBackoff(Duration.ofSeconds(4));
        clock.advance(Duration.ofSeconds(10));

        String body = get("/metrics").body();

        assertThat(body).contains(
                "flamenco_worker_build_info{protocol=\"v2\",version=\"1.2.3\"} 1",
                "flamenco_worker_state{state=\"awake\"} 1",
                "flamenco_worker_state{state=\"asleep\"} 0",
                "flamenco_worker_tasks_started_total 1",
                "flamenco_worker_task_progress_percent 45",
                "flamenco_worker_task_elapsed_seconds 10",
                "flamenco_worker_commands_total{command=\"blender-render\",outcome=\"ok\"} 1",
                "flamenco_worker_manager_requests_total{endpoint=\"POST /task\",outcome=\"2xx\"} 1",
                "flamenco_worker_manager_requests_total{endpoint=\"POST /tasks/{id}/update\",outcome=\"network\"} 1",
                "flamenco_worker_manager_request_duration_seconds_bucket{endpoint=\"POST /task\",le=\"0.005\"} 1",
                "flamenco_worker_manager_last_contact_age_seconds 10",
                "flamenco_worker_queue_updates 120",
                "flamenco_worker_queue_bytes 5000",
                "flamenco_worker_queue_oldest_age_seconds 40",
                "flamenco_worker_sender_retries_total 1",
                "flamenco_worker_sender_backoff_seconds 4",
                "# HELP flamenco_worker_dead_letters_total");
        assertThat(body).doesNotContain("task_tree");
    }

    @Test
    void taskTreeGaugesAppearOnceASamplerFeedsThem() throws Exception {
        start(Duration.ofMinutes(5));
        metrics.taskStarted("task-1");

        metrics.recordTaskTree(12.5, 300_000_000L);
        String body = get("/metrics").body();

        assertThat(body).contains("flamenco_worker_task_tree_cpu_seconds 12.5",
                "flamenco_worker_task_tree_rss_bytes 3.0E8");
    }

    @Test
    void healthzTurns503WhenTheManagerIsSilentPastTheLimitAndBack() throws Exception {
        start(Duration.ofSeconds(60));
        metrics.workerState(WorkerState.AWAKE);
        metrics.managerRequest("POST /task", 204, 1_000_000);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(61));
        metrics.loopHeartbeat();
        HttpResponse<String> silent = get("/healthz");
        metrics.managerRequest("POST /task", 204, 1_000_000);
        HttpResponse<String> back = get("/healthz");

        assertThat(silent.statusCode()).isEqualTo(503);
        assertThat(silent.body()).contains("\"healthy\":false", "no successful answer from the Manager for 61 s");
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).contains("\"healthy\":true", "\"state\":\"awake\"");
    }

    @Test
    void healthzIs503WhenTheFetchLoopStalls() throws Exception {
        start(Duration.ofSeconds(60));
        metrics.workerState(WorkerState.AWAKE);

        clock.advance(Duration.ofSeconds(61));
        metrics.managerRequest("POST /may-i-run/{id}", 200, 1_000_000);
        HttpResponse<String> stalled = get("/healthz");

        assertThat(stalled.statusCode()).isEqualTo(503);
        assertThat(stalled.body()).contains("the fetch loop has not moved for 61 s");
    }

    @Test
    void aPortInUseIsABindError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());

            assertThatThrownBy(() -> MetricsServer.start(address, metrics, new HealthCheck(Duration.ofMinutes(1)),
                    "1.2.3", "v2")).isInstanceOf(BindException.class);
        }
    }

    private void start(Duration limit) throws IOException {
        server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics,
                new HealthCheck(limit), "1.2.3", "v2");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
