package org.flamenco.worker.daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
 * <p>{@code fw-monitor} wakes when something the status line shows changes ({@link InMemoryMetrics#onChange}) and
 * on a schedule only where one is needed: every half of the watchdog interval for {@code WATCHDOG=1} (sent only while
 * the fetch loop showed life within that half, so a hung loop gets the worker restarted); every {@link #TICK} while
 * a task runs (its subprocess tree's figures) or while {@code metrics_listen} serves the figures (the queue depth: a
 * database read kept off the scrape path); once a minute while the Manager does not answer (the status line says for
 * how long). An idle worker under systemd without {@code metrics_listen} wakes it only for the watchdog (issue 24).
 * It sends {@code STATUS=} when the line changes and {@code STOPPING=1} once the worker shuts down.
 */
final class Monitoring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Monitoring.class);
    static final Duration TICK = Duration.ofSeconds(2);
    /** How often the "Manager unreachable for ..." line is brought up to date. */
    private static final Duration UNREACHABLE_REFRESH = Duration.ofSeconds(60);

    private final Clock clock;
    private final InMemoryMetrics metrics;
    private final MetricsServer server;
    private final SystemdNotifier notifier;
    private final Duration watchdog;
    /** Released by {@link InMemoryMetrics#onChange} and {@link #close}; {@code fw-monitor} waits on it. */
    private final Semaphore changed = new Semaphore(0);
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

    /** The Manager protocol the worker settled on, for the metrics' build info ({@code auto} decides late). */
    void protocolChosen(String protocol) {
        if (server != null) {
            server.protocolChosen(protocol);
        }
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
        metrics.onChange(changed::release);
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
        long nextPing = clock.nanoTime();
        String lastStatus = "";
        while (!closed) {
            QueueState q = queue.get();
            metrics.queueSampled(Math.max(0, q.elements()), q.bytes(), q.oldestAge());
            tree.usage().filter(ResourceUsage::measured).ifPresent(u -> metrics.recordTaskTree(
                    u.cpu().toNanos() / 1e9, u.peakRssBytes()));
            MetricsSnapshot s = metrics.snapshot();
            long now = clock.nanoTime();
            if (notifier != null) {
                String status = StatusLine.of(s);
                if (!status.equals(lastStatus)) {
                    notifier.send("STATUS=" + status);
                    lastStatus = status;
                }
                if (s.state() == WorkerState.SHUTTING_DOWN) {
                    notifyStopping();
                } else if (watchdog != null && now - nextPing >= 0) {
                    nextPing = now + watchdog.dividedBy(2).toNanos();
                    if (s.loopStalledFor().compareTo(watchdog.dividedBy(2)) < 0) {
                        notifier.send("WATCHDOG=1");
                    }
                }
            }
            try {
                waitForChange(now, nextWake(s, now, nextPing));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** When {@code fw-monitor} has to look again without being told of a change; {@code Long.MAX_VALUE}: never. */
    private long nextWake(MetricsSnapshot s, long now, long nextPing) {
        long next = watchdog != null && notifier != null ? nextPing : Long.MAX_VALUE;
        if (server != null || s.runningTask().isPresent()) {
            next = Math.min(next, now + TICK.toNanos());
        }
        if (notifier != null && !metrics.managerAnswering()) {
            next = Math.min(next, now + UNREACHABLE_REFRESH.toNanos());
        }
        return next;
    }

    private void waitForChange(long now, long until) throws InterruptedException {
        if (until == Long.MAX_VALUE) {
            changed.acquire();
        } else if (until - now > 0) {
            changed.tryAcquire(until - now, TimeUnit.NANOSECONDS);
        }
        changed.drainPermits(); // one look covers every change reported meanwhile
    }

    private synchronized void notifyStopping() {
        if (!stoppingSent) {
            stoppingSent = true;
            notifier.send("STOPPING=1");
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
            notifyStopping();
            notifier.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
