package org.flamenco.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flamenco.worker.embedded.AddedJob;
import org.flamenco.worker.embedded.EmbeddedManager;
import org.flamenco.worker.embedded.TaskSpec;
import org.flamenco.worker.testing.WorkerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics}, {@code /healthz} and {@code flamenco-worker status} of the packaged worker process. */
@Timeout(240)
class MonitoringIT {
    @TempDir
    Path dir;
    private EmbeddedManager manager;
    private WorkerProcess worker;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String marker = "fwmon-" + UUID.randomUUID().toString().substring(0, 8);
    private int port;

    @BeforeEach
    void startManager() throws Exception {
        manager = new EmbeddedManager().start();
        port = freePort();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (worker != null) {
            worker.close();
        }
        manager.close();
        for (long pid : WorkerProcess.pidsWithArgument(marker)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void scrapesFollowATaskAndAnOutage_andHealthzTurns503AndBack() throws Exception {
        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of(
                "metrics_listen", "127.0.0.1:" + port, "healthz_max_silence_seconds", "8")).start();
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).until(() -> healthz().statusCode() == 200);
        Map<String, Double> before = scrape();

        AddedJob job = manager.addJob("job", List.of(new TaskSpec("t1", "debug", List.of(TaskSpec.command("exec",
                Map.of("cmd", "sh -c 'i=0; while [ $i -lt 150 ]; do echo " + marker + "-$i; i=$((i+1)); sleep 0.2;"
                        + " done' " + marker))))));
        String id = job.taskId("t1");
        await().ignoreExceptions().atMost(Duration.ofSeconds(60))
                .until(() -> scrape().get("flamenco_worker_task_running") == 1.0);
        Map<String, Double> during = scrape();
        manager.stop();
        await().ignoreExceptions().atMost(Duration.ofSeconds(60))
                .until(() -> scrape().get("flamenco_worker_queue_updates") > 20);
        HttpResponse<String> outage = awaitHealthz(503);
        Map<String, Double> inOutage = scrape();
        manager.restart();
        HttpResponse<String> recovered = awaitHealthz(200);
        manager.awaitTaskStatus(id, "completed", Duration.ofSeconds(120));
        await().ignoreExceptions().atMost(Duration.ofSeconds(60))
                .until(() -> scrape().get("flamenco_worker_queue_updates") == 0.0
                        && scrape().get("flamenco_worker_task_running") == 0.0);
        Map<String, Double> after = scrape();

        assertThat(before).containsEntry("flamenco_worker_state{state=\"awake\"}", 1.0)
                .containsEntry("flamenco_worker_tasks_started_total", 0.0)
                .containsEntry("flamenco_worker_queue_updates", 0.0)
                .containsKey("flamenco_worker_build_info{protocol=\"v2\",version=\"1.0.0-SNAPSHOT\"}");
        assertThat(during).containsEntry("flamenco_worker_tasks_started_total", 1.0);
        assertThat(during.get("flamenco_worker_manager_requests_total{endpoint=\"POST /task\",outcome=\"2xx\"}"))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(outage.body()).contains("\"healthy\":false", "no successful answer from the Manager");
        assertThat(inOutage.get("flamenco_worker_queue_oldest_age_seconds")).isGreaterThan(1.0);
        assertThat(inOutage.get("flamenco_worker_queue_bytes")).isGreaterThan(0.0);
        assertThat(inOutage.get("flamenco_worker_task_tree_rss_bytes")).as("the running sh tree's memory")
                .isGreaterThan(0.0);
        assertThat(inOutage).containsKey("flamenco_worker_task_tree_cpu_seconds");
        assertThat(inOutage.get("flamenco_worker_sender_retries_total")).isGreaterThan(0.0);
        assertThat(inOutage.get("flamenco_worker_sender_backoff_seconds")).isGreaterThan(0.0);
        assertThat(inOutage.get("flamenco_worker_manager_last_contact_age_seconds")).isGreaterThan(8.0);
        assertThat(inOutage.keySet()).anyMatch(k -> k.startsWith("flamenco_worker_manager_requests_total{")
                && k.contains("outcome=\"network\""));
        assertThat(recovered.body()).contains("\"healthy\":true");
        assertThat(after).containsEntry("flamenco_worker_tasks_finished_total{outcome=\"completed\"}", 1.0)
                .containsEntry("flamenco_worker_commands_total{command=\"exec\",outcome=\"ok\"}", 1.0)
                .containsEntry("flamenco_worker_queue_oldest_age_seconds", 0.0)
                .containsEntry("flamenco_worker_task_progress_percent", 0.0);
        assertThat(after.get("flamenco_worker_sender_deliveries_total")).isGreaterThan(150.0);
        assertThat(after.get("flamenco_worker_manager_request_duration_seconds_count"
                + "{endpoint=\"POST /tasks/{id}/update\"}")).isGreaterThan(1.0);
    }

    @Test
    void statusPrintsTheLiveStateAndExitsLikeDoctor() throws Exception {
        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of(
                "metrics_listen", "127.0.0.1:" + port)).start();
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).until(() -> healthz().statusCode() == 200);

        Run status = run("status", "-c", worker.config().toString());
        Run json = run("status", "-c", worker.config().toString(), "--json");
        worker.signal("TERM");
        worker.awaitExit(Duration.ofSeconds(60));
        Run gone = run("status", "-c", worker.config().toString());

        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("healthy", "State:", "awake", "Task:", "none", "Update queue:",
                "empty", "Manager:", "last successful answer");
        assertThat(json.exit()).isZero();
        assertThat(json.out()).startsWith("{\"healthy\":true");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.out()).contains("No answer from the worker at http://127.0.0.1:" + port + "/healthz");
    }

    @Test
    void aMetricsPortInUseIsAOneLineConfigErrorWithExit2() throws Exception {
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of(
                    "metrics_listen", "127.0.0.1:" + port)).start();

            assertThat(worker.awaitExit(Duration.ofSeconds(60))).contains(2);
            assertThat(errorLines(worker.output())).singleElement().asString()
                    .contains("flamenco-worker.cfg: [flamenco-worker] metrics_listen = \"127.0.0.1:" + port
                            + "\": cannot listen there");
            assertThat(manager.requests()).isEmpty();
        }
    }

    @Test
    void aMetricsListenThatIsNotAnAddressIsAOneLineConfigErrorWithExit2() throws Exception {
        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of("metrics_listen", "9101")).start();

        assertThat(worker.awaitExit(Duration.ofSeconds(60))).contains(2);
        assertThat(worker.output().strip()).doesNotContain("\n")
                .contains("flamenco-worker.cfg", "metrics_listen", "expected empty (off) or host:port");
    }

    private static List<String> errorLines(String output) {
        return output.lines().filter(l -> l.contains("ERROR") || l.contains("Exception")).toList();
    }

    private HttpResponse<String> awaitHealthz(int status) {
        HttpResponse<String>[] last = new HttpResponse[1];
        await().ignoreExceptions().atMost(Duration.ofSeconds(90)).until(() -> {
            last[0] = healthz();
            return last[0].statusCode() == status;
        });
        return last[0];
    }

    private HttpResponse<String> healthz() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The scrape as series name with labels → value. */
    private Map<String, Double> scrape() throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> series = new HashMap<>();
        body.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> {
            int space = l.lastIndexOf(' ');
            series.put(l.substring(0, space), Double.parseDouble(l.substring(space + 1)));
        });
        return series;
    }

    private record Run(int exit, String out) {
    }

    private Run run(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", WorkerProcess.jar().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
