package org.flamenco.worker.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opt-in HTTP endpoint ({@code metrics_listen}): {@code GET /metrics} in the Prometheus text format and
 * {@code GET /healthz} (200 or 503 with a small JSON body). Requests are handled one at a time on {@code fw-metrics}
 * (plus the JDK server's dispatcher thread); a scrape reads memory only. Only this class and {@link PrometheusExport}
 * touch the Prometheus library, so nothing of it is loaded while the endpoint is off.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    private static final String NODELAY = "sun.net.httpserver.nodelay";

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusExport export;

    private MetricsServer(HttpServer server, ExecutorService executor, PrometheusExport export) {
        this.export = export;
        this.server = server;
        this.executor = executor;
    }

    /** The protocol label of {@code flamenco_worker_build_info} from now on: the one {@code auto} chose. */
    public void protocolChosen(String protocol) {
        export.protocol(protocol);
    }

    /**
     * Binds {@code address} and starts serving.
     *
     * @throws IOException when the address cannot be bound (in use, not local)
     */
    public static MetricsServer start(InetSocketAddress address, InMemoryMetrics metrics, HealthCheck health,
                                      String version, String protocol) throws IOException {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(health, "health");
        // The JDK server writes the headers and the body as two segments: with Nagle's algorithm the body waits for
        // the scraper's delayed ACK (40 ms a scrape, and twice the worker CPU). Read once, when the first server of
        // this JVM is created; the worker creates no other (docs/decisions.md #16).
        System.setProperty(NODELAY, System.getProperty(NODELAY, "true"));
        HttpServer server = HttpServer.create(address, 8);
        PrometheusRegistry registry = new PrometheusRegistry();
        PrometheusExport export = new PrometheusExport(metrics, version, protocol);
        registry.register(export);
        server.createContext("/metrics", new MetricsHandler(registry));
        server.createContext("/healthz", exchange -> healthz(exchange, health, metrics));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fw-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        if (!address.getAddress().isLoopbackAddress()) {
            LOG.warn("metrics_listen = {}: /metrics and /healthz are reachable from other machines, without "
                    + "authentication", address);
        }
        LOG.info("Serving /metrics and /healthz on http://{}:{}/", address.getHostString(),
                server.getAddress().getPort());
        return new MetricsServer(server, executor, export);
    }

    /** The bound port (useful when the configured port was 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void healthz(HttpExchange exchange, HealthCheck health, InMemoryMetrics metrics)
            throws IOException {
        try (exchange) {
            HealthCheck.Verdict verdict = health.judge(metrics.snapshot());
            byte[] body = verdict.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(verdict.healthy() ? 200 : 503, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** Stops serving within a second; a request in progress is abandoned. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                LOG.warn("The fw-metrics thread did not end within 1 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
