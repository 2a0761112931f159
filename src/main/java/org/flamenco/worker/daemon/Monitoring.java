package org.flamenco.worker.daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.config.MonitoringSettings;
import org.flamenco.worker.metrics.HealthCheck;
import org.flamenco.worker.metrics.InMemoryMetrics;
import org.flamenco.worker.metrics.MetricsServer;
import org.flamenco.worker.metrics.MetricsSnapshot;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.metrics.WorkerState;
import org.flamenco.worker.model.BuildInfo;
import org.flamenco.worker.outbox.QueueState;
import org.flamenco.worker.process.ResourceUsage;
import org.flamenco.worker.process.RunningTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's monitoring (README "Monitoring"): the figures ({@link InMemoryMetrics}), the {@code metrics_listen}
 * endpoint, and systemd notify with its watchdog, driven by the {@code fw-monitor} thread. When neither the endpoint
 * nor {@code NOTIFY_SOCKET} is configured nothing of it exists: the metrics are {@link WorkerMetrics#NONE}, no thread
 * runs and the Prometheus classes are never loaded.
 *
 * <p>{@code fw-monitor} wakes every {@link #TICK} (more often for a short watchdog): it samples the queue (a database
 * read kept off the scrape path), sends {@code STATUS=} when the line changes, {@code STOPPING=1} once the worker
 * shuts down, and {@code WATCHDOG=1} only while the fetch loop showed life within half the watchdog interval, so a
 * hung loop gets the worker restarted.
 */
final class Monitoring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Monitoring.class);
    static final Duration TICK = Duration.ofSeconds(2);
    static final Duration QUEUE_SAMPLE = Duration.ofSeconds(2);
    private static final Duration STATUS_REPEAT = Duration.ofSeconds(60);

    private final Clock clock;
    private final InMemoryMetrics metrics;
    private final MetricsServer server;
    private final SystemdNotifier notifier;
    private final Duration watchdog;
    private final Duration tick;
    private volatile Thread thread;
    private volatile boolean closed;
    private boolean stoppingSent;

    private Monitoring(Clock clock, InMemoryMetrics metrics, MetricsServer server, SystemdNotifier notifier,
                       Duration watchdog) {
        this.clock = clock;
        this.metrics = metrics;
        this.server = server;
        this.notifier = notifier;
        this.watchdog = watchdog;
        Duration t = watchdog == null ? TICK : watchdog.dividedBy(4);
        this.tick = t.compareTo(TICK) < 0 ? t : TICK;
    }

    /**
     * Sets up what {@code settings} and the environment ask for; binds the endpoint now.
     *
     * @throws IOException when {@code metrics_listen} cannot be bound
     */
    static Monitoring open(MonitoringSettings settings, String protocol, Map<String, String> environment,
                           Clock clock) throws IOException {
        Optional<SystemdNotifier> notifier = SystemdNotifier.fromEnvironment(environment);
        Optional<InetSocketAddress> listen = settings.metricsListen();
        if (notifier.isEmpty() && listen.isEmpty()) {
            return new Monitoring(clock, null, null, null, null);
        }
        InMemoryMetrics metrics = new InMemoryMetrics(clock);
        MetricsServer server = null;
        if (listen.isPresent()) {
            try {
                server = MetricsServer.start(listen.get(), metrics, new HealthCheck(settings.healthzMaxSilence()),
                        BuildInfo.version(), protocol);
            } catch (IOException e) {
                notifier.ifPresent(SystemdNotifier::close);
                throw e;
            }
        }
        Duration watchdog = notifier.isEmpty() ? null
                : SystemdNotifier.watchdogInterval(environment, ProcessHandle.current().pid()).orElse(null);
        return new Monitoring(clock, metrics, server, notifier.orElse(null), watchdog);
    }

    /** What the components report to: {@link WorkerMetrics#NONE} when monitoring is off. */
    WorkerMetrics metrics() {
        return metrics == null ? WorkerMetrics.NONE : metrics;
    }

    /**
     * Starts {@code fw-monitor} (when monitoring is on), sampling the queue through {@code queue} and the running
     * subprocess tree's figures through {@code tree}.
     */
    void start(Supplier<QueueState> queue, RunningTree tree) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(tree, "tree");
        if (metrics == null) {
            return;
        }
        Thread t = new Thread(() -> run(queue, tree), "fw-monitor");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** The first sign-on succeeded: tell systemd the worker is ready. */
    void ready() {
        if (notifier != null) {
            notifier.send("READY=1\nSTATUS=" + StatusLine.of(metrics.snapshot()));
            LOG.debug("Told systemd READY=1{}", watchdog == null ? "" : ", watchdog every " + watchdog);
        }
    }

    private void run(Supplier<QueueState> queue, RunningTree tree) {
        long lastSample = Long.MIN_VALUE;
        long lastStatusAt = Long.MIN_VALUE;
        String lastStatus = "";
        while (!closed) {
            long now = clock.nanoTime();
            if (lastSample == Long.MIN_VALUE || now - lastSample >= QUEUE_SAMPLE.toNanos()) {
                QueueState q = queue.get();
                metrics.queueSampled(Math.max(0, q.elements()), q.bytes(), q.oldestAge());
                tree.usage().filter(ResourceUsage::measured).ifPresent(u -> metrics.recordTaskTree(
                        u.cpu().toNanos() / 1e9, u.peakRssBytes()));
                lastSample = now;
            }
            if (notifier != null) {
                MetricsSnapshot s = metrics.snapshot();
                String status = StatusLine.of(s);
                if (!status.equals(lastStatus) || now - lastStatusAt >= STATUS_REPEAT.toNanos()) {
                    notifier.send("STATUS=" + status);
                    lastStatus = status;
                    lastStatusAt = now;
                }
                notifyStoppingOrAlive(s);
            }
            try {
                clock.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void notifyStoppingOrAlive(MetricsSnapshot s) {
        if (s.state() == WorkerState.SHUTTING_DOWN) {
            if (!stoppingSent) {
                stoppingSent = true;
                notifier.send("STOPPING=1");
            }
        } else if (watchdog != null && s.loopStalledFor().compareTo(watchdog.dividedBy(2)) < 0) {
            notifier.send("WATCHDOG=1");
        }
    }

    /** Stops {@code fw-monitor} and the endpoint; tells systemd the worker stops, if it was not told yet. */
    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (notifier != null) {
            synchronized (this) {
                if (!stoppingSent) {
                    stoppingSent = true;
                    notifier.send("STOPPING=1");
                }
            }
            notifier.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
