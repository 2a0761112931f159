package org.flamenco.worker.metrics;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Turns {@link InMemoryMetrics} into Prometheus metric families at scrape time (names under
 * {@code flamenco_worker_}). Runs on the metrics server's thread; reads only memory.
 */
final class PrometheusExport implements MultiCollector {
    private static final String P = "flamenco_worker_";

    private final InMemoryMetrics metrics;
    private final String version;
    /** The configured protocol at first ({@code auto}), the one the worker chose once it knows. */
    private volatile String protocol;

    PrometheusExport(InMemoryMetrics metrics, String version, String protocol) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.version = Objects.requireNonNull(version, "version");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    /** The protocol the worker settled on ({@code manager_protocol = auto} decides after the endpoint is up). */
    void protocol(String chosen) {
        this.protocol = Objects.requireNonNull(chosen, "chosen");
    }

    @Override
    public MetricSnapshots collect() {
        MetricsSnapshot s = metrics.snapshot();
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        out.metricSnapshot(InfoSnapshot.builder().name(P + "build").help("Worker version and Manager protocol")
                .dataPoint(InfoDataPointSnapshot.builder().labels(Labels.of("version", version, "protocol",
                        protocol)).build()).build());
        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name(P + "state")
                .help("1 for the state the worker is in, 0 for the others");
        for (WorkerState w : WorkerState.values()) {
            state.dataPoint(gauge(w == s.state() ? 1 : 0, "state", w.label()));
        }
        out.metricSnapshot(state.build());
        out.metricSnapshot(counter("tasks_started", "Tasks started", metrics.tasksStarted.sum()));
        out.metricSnapshot(labeled("tasks_finished", "Tasks ended, by outcome (completed, failed, stopped)",
                metrics.tasksFinished));
        out.metricSnapshot(gauge("task_running", "1 while a task runs", s.runningTask().isPresent() ? 1 : 0));
        out.metricSnapshot(gauge("task_elapsed_seconds", "How long the running task has run, 0 when none",
                s.taskElapsed().toNanos() / 1e9));
        out.metricSnapshot(gauge("task_progress_percent", "The running task's progress, 0-100",
                s.taskProgress()));
        out.metricSnapshot(labeled("commands", "Commands ended, by command name and outcome (ok, failed, stopped)",
                metrics.commands));
        if (metrics.treeFed()) {
            out.metricSnapshot(gauge("task_tree_cpu_seconds", "CPU seconds used by the running task's current "
                    + "subprocess tree (children that exited included)", metrics.treeCpuSeconds()));
            out.metricSnapshot(gauge("task_tree_rss_bytes", "Peak resident memory of the running task's "
                    + "current subprocess tree so far",
                    metrics.treeRssBytes()));
        }
        addQueueAndSender(out, s);
        addManager(out, s);
        out.metricSnapshot(counter("reregistrations", "Times the worker registered again after its credentials "
                + "were refused", metrics.reRegistrations.sum()));
        out.metricSnapshot(gauge("quarantined", "1 while the worker is quarantined after fast task failures",
                s.quarantined() ? 1 : 0));
        out.metricSnapshot(gauge("loop_stalled_seconds", "Time since the fetch loop last showed life (0 while a "
                + "task runs)", s.loopStalledFor().toNanos() / 1e9));
        return out.build();
    }

    private void addQueueAndSender(MetricSnapshots.Builder out, MetricsSnapshot s) {
        out.metricSnapshot(gauge("queue_updates", "Task updates queued for the Manager (log lines and activity "
                + "updates; dead letters excluded)", s.queueElements()));
        out.metricSnapshot(gauge("queue_bytes", "Log bytes queued for the Manager", s.queueBytes()));
        out.metricSnapshot(gauge("queue_oldest_age_seconds", "Age of the oldest undelivered update, 0 when the "
                + "queue is empty", s.queueOldestAge().toNanos() / 1e9));
        out.metricSnapshot(counter("dead_letters", "Updates the Manager refused for good, moved to the dead "
                + "letters", metrics.deadLetters.sum()));
        out.metricSnapshot(counter("sender_deliveries", "Queued updates delivered to the Manager",
                metrics.delivered.sum()));
        out.metricSnapshot(counter("sender_retries", "Failed deliveries the sender backed off from",
                metrics.retries.sum()));
        out.metricSnapshot(gauge("sender_backoff_seconds", "The sender's current backoff, 0 when delivering",
                metrics.senderBackoff().toNanos() / 1e9));
    }

    private void addManager(MetricSnapshots.Builder out, MetricsSnapshot s) {
        out.metricSnapshot(labeled("manager_requests", "Requests to the Manager, by endpoint and outcome (2xx, "
                + "4xx, 5xx, network)", metrics.requests));
        HistogramSnapshot.Builder latency = HistogramSnapshot.builder().name(P + "manager_request_duration_seconds")
                .help("Duration of requests to the Manager, by endpoint");
        for (Map.Entry<String, LatencyHistogram.Series> e : metrics.latency.series().entrySet()) {
            LatencyHistogram.Series series = e.getValue();
            long[] counts = new long[series.buckets.length];
            double[] bounds = new double[series.buckets.length];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = series.buckets[i].sum();
                bounds[i] = i < LatencyHistogram.UPPER_BOUNDS.length ? LatencyHistogram.UPPER_BOUNDS[i]
                        : Double.POSITIVE_INFINITY;
            }
            latency.dataPoint(HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                    .labels(Labels.of("endpoint", e.getKey())).sum(series.sum.sum()).build());
        }
        out.metricSnapshot(latency.build());
        double contact = s.lastContactAge().orElse(s.upFor()).toNanos() / 1e9;
        out.metricSnapshot(gauge("manager_last_contact_age_seconds", "Time since the Manager last answered with "
                + "success (since start-up before the first answer)", contact));
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(P + name).help(help).dataPoint(gauge(value)).build();
    }

    private static GaugeDataPointSnapshot gauge(double value, String... labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }

    private static CounterSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder().name(P + name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static CounterSnapshot labeled(String name, String help, LabeledCounter counter) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(P + name).help(help);
        List<String> names = counter.labelNames();
        for (Map.Entry<List<String>, Long> e : counter.values().entrySet()) {
            String[] pairs = new String[names.size() * 2];
            for (int i = 0; i < names.size(); i++) {
                pairs[2 * i] = names.get(i);
                pairs[2 * i + 1] = e.getKey().get(i);
            }
            b.dataPoint(CounterDataPointSnapshot.builder().value(e.getValue()).labels(Labels.of(pairs)).build());
        }
        return b.build();
    }
}
