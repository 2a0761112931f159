package org.flamenco.worker.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.embedded.AddedJob;
import org.flamenco.worker.embedded.EmbeddedManager;
import org.flamenco.worker.embedded.EmbeddedV3Manager;
import org.flamenco.worker.embedded.LoopbackManager;
import org.flamenco.worker.embedded.TaskSpec;
import org.flamenco.worker.embedded.V3TaskSpec;

/**
 * End-to-end throughput of the packaged worker (a separate JVM with the service heap limit) against the embedded
 * Manager on loopback: (1) a task whose child prints N lines, timed from the task becoming active to the Manager
 * holding all N lines; (2) the same with the Manager refusing updates (503) until the task has ended, then timing
 * the drain of the queued updates. Not a JMH benchmark: one run of a whole system, printed as lines/s.
 *
 * <pre>
 * ./mvnw -B -q -Pbench package -DskipTests
 * ./mvnw -B -q -Pbench dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
 * java -cp target/classes:$(cat /tmp/bench.cp) org.flamenco.worker.e2e.EndToEndThroughput 1000000
 * </pre>
 * {@code -Dbench.extraConfig="push_log_max_entries = 20000"} adds config lines ({@code ;} separates them);
 * {@code -Dbench.debug=true} runs the worker with {@code -d}, prints its directory and keeps it;
 * {@code -Dbench.workerJvmArgs="-XX:StartFlightRecording=filename=/tmp/w.jfr"} adds JVM options to the worker;
 * {@code -Dbench.only=live} or {@code =drain} runs one of the two; {@code -Dbench.managerWarmup=300000} first runs an
 * unmeasured task of that many lines, so the Manager (this JVM) is JIT-compiled like a long-running one;
 * {@code -Dbench.workerWarmup=300000} has the worker run an unmeasured task of that many lines first, so its JIT
 * compiler has settled too (a worker that has run for a while);
 * {@code -Dbench.runs=3} repeats the measured runs (later runs meet a Manager whose JIT compiler has settled);
 * {@code -Dbench.threadCpu=true} prints the CPU seconds of each worker thread and of each thread of this JVM (the
 * Manager) during the timed part; {@code -Dbench.protocol=v3} runs the same against the embedded Flamenco 3 Manager
 * (the worker with {@code manager_protocol = v3}, an {@code exec} task of type {@code misc}). A second argument
 * names another worker jar (for A/B runs against an older build).
 */
public final class EndToEndThroughput {
    private EndToEndThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path jar = Path.of(args.length > 1 ? args[1] : "target/flamenco-worker.jar").toAbsolutePath();
        int warmup = Integer.getInteger("bench.managerWarmup", 0);
        if (warmup > 0) {
            System.out.printf(Locale.ROOT, "manager warm-up (not a result): %s%n", run(jar, warmup, false));
        }
        String only = System.getProperty("bench.only", "");
        int runs = Integer.getInteger("bench.runs", 1);
        for (int i = 0; i < runs; i++) {
            if (!only.equals("drain")) {
                System.out.printf(Locale.ROOT, "live delivery: %s%n", run(jar, lines, false));
            }
            if (!only.equals("live")) {
                System.out.printf(Locale.ROOT, "drain after outage: %s%n", run(jar, lines, true));
            }
        }
    }

    private static String run(Path jar, int lines, boolean outage) throws Exception {
        Path dir = Files.createTempDirectory("fw-bench");
        try (Farm manager = System.getProperty("bench.protocol", "v2").equals("v3") ? new V3Farm() : new V2Farm()) {
            String id = manager.addLogTask(Integer.getInteger("bench.workerWarmup", 0), lines);
            if (outage) {
                manager.refuseUpdates(id);
            }
            Process worker = startWorker(jar, dir, manager.url(), manager.config());
            try {
                manager.awaitFirstUpdate(id, Duration.ofMinutes(2));
                long start = System.nanoTime();
                Map<String, Double> threadsBefore = threadCpu(worker.pid());
                Map<String, Double> ownThreadsBefore = threadCpu(ProcessHandle.current().pid());
                double workerCpuBefore = cpuSeconds(worker.pid());
                double workerSysBefore = sysSeconds(worker.pid());
                double ownCpuBefore = ownCpuSeconds();
                if (outage) {
                    // Let the whole task be captured while nothing can be delivered, then open the gate.
                    waitForOutput(dir.resolve("worker.log"), "Task " + id + " ended: completed",
                            Duration.ofMinutes(5));
                    start = System.nanoTime();
                    workerCpuBefore = cpuSeconds(worker.pid());
                    threadsBefore = threadCpu(worker.pid());
                    ownThreadsBefore = threadCpu(ProcessHandle.current().pid());
                    workerSysBefore = sysSeconds(worker.pid());
                    ownCpuBefore = ownCpuSeconds();
                    manager.clearFaults();
                }
                awaitCompletedUpdate(manager, id, Duration.ofMinutes(10));
                double seconds = (System.nanoTime() - start) / 1e9;
                double workerCpu = cpuSeconds(worker.pid()) - workerCpuBefore;
                double workerSys = sysSeconds(worker.pid()) - workerSysBefore;
                double ownCpu = ownCpuSeconds() - ownCpuBefore;
                if (Boolean.getBoolean("bench.threadCpu")) {
                    System.out.println("worker threads:");
                    printThreadCpu(threadsBefore, threadCpu(worker.pid()));
                    System.out.println("Manager (this JVM) threads:");
                    printThreadCpu(ownThreadsBefore, threadCpu(ProcessHandle.current().pid()));
                }
                long received = manager.receivedLines(id);
                int updates = manager.updates(id);
                return String.format(Locale.ROOT, "%d output lines in %d updates, %.2f s: %.0f lines/s, %.0f "
                        + "updates/s; worker peak RSS %s, worker CPU %.2f s (%.2f s in the kernel), this JVM"
                        + " (Manager) CPU %.2f s", received, updates, seconds, received / seconds, updates / seconds,
                        peakRss(worker.pid()), workerCpu, workerSys, ownCpu);
            } finally {
                worker.destroy();
                worker.waitFor(60, TimeUnit.SECONDS);
            }
        } finally {
            if (!Boolean.getBoolean("bench.debug")) {
                removeTree(dir);
            }
        }
    }

    private static void removeTree(Path root) throws java.io.IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Polls the task's status (not the task view, whose log copy grows with every update, nor the request records,
     * whose bodies would be scanned): the embedded Manager sets {@code completed} while applying that update, just
     * before answering it. Polling every 10 ms keeps this thread's share of the two cores negligible.
     */
    private static void awaitCompletedUpdate(Farm manager, String id, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (manager.taskStatus(id).equals("completed")) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new IllegalStateException("task " + id + " did not complete in time");
    }

    private static Process startWorker(Path jar, Path dir, String url, String protocolConfig) throws Exception {
        Files.writeString(dir.resolve("flamenco-worker.cfg"), "[flamenco-worker]\nmanager_url = " + url + "\n"
                + protocolConfig + "credentials_file = " + dir.resolve("credentials.cfg") + "\n"
                + "task_update_queue_db = " + dir.resolve("q.db") + "\nsubprocess_pid_file = " + dir.resolve("pid")
                + "\n" + System.getProperty("bench.extraConfig", "").replace(";", "\n") + "\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xss512k"));
        String extraJvm = System.getProperty("bench.workerJvmArgs", "").strip();
        if (!extraJvm.isEmpty()) {
            cmd.addAll(List.of(extraJvm.split("\\s+")));
        }
        cmd.addAll(List.of("-jar", jar.toString(), "-c", dir.resolve("flamenco-worker.cfg").toString()));
        if (Boolean.getBoolean("bench.debug")) {
            cmd.add("-d");
            System.out.println("worker dir: " + dir);
        }
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("worker.log").toFile()).start();
    }

    private static void waitForOutput(Path log, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException("worker never logged '" + text + "'");
    }

    /** The embedded Manager of one protocol, reduced to what the bench does with it. */
    /** The embedded Manager of one protocol, with what the benchmark asks of it. */
    private abstract static class Farm implements AutoCloseable {
        private final LoopbackManager<?, ?, ?> manager;

        Farm(LoopbackManager<?, ?, ?> manager) {
            this.manager = manager;
        }

        /** Queues the measured task ({@code seq lines}), after an unmeasured one of {@code warmup} lines if > 0. */
        abstract String addLogTask(int warmup, int lines);

        /** The path of the task's updates on this protocol's wire. */
        abstract String updatePath(String id);

        /** The worker's config lines for this protocol. */
        abstract String config();

        /** Answers 503 to every update of the task until {@link #clearFaults}. */
        final void refuseUpdates(String id) {
            manager.failNext(Integer.MAX_VALUE, updatePath(id), 503, "down for the benchmark");
        }

        final void clearFaults() {
            manager.clearFaults();
        }

        final void awaitFirstUpdate(String id, Duration timeout) throws InterruptedException {
            manager.awaitRequest(r -> r.method().equals("POST") && r.path().startsWith(updatePath(id)), timeout);
        }

        final String taskStatus(String id) {
            return manager.taskStatus(id);
        }

        final long receivedLines(String id) {
            return manager.task(id).logLines().stream().filter(l -> l.contains(" > ")).count();
        }

        final int updates(String id) {
            return manager.task(id).updates().size();
        }

        final String url() {
            return manager.url().toString();
        }

        @Override
        public final void close() {
            manager.close();
        }
    }

    private static final class V2Farm extends Farm {
        private final EmbeddedManager manager;

        private V2Farm(EmbeddedManager manager) {
            super(manager);
            this.manager = manager;
        }

        V2Farm() throws java.io.IOException {
            this(new EmbeddedManager().start());
        }

        @Override
        String addLogTask(int warmup, int lines) {
            List<TaskSpec> tasks = new ArrayList<>();
            if (warmup > 0) {
                tasks.add(new TaskSpec("warm-up", "debug", List.of(
                        TaskSpec.command("exec", Map.of("cmd", "seq " + warmup)))));
            }
            tasks.add(new TaskSpec("log", "debug", List.of(TaskSpec.command("exec", Map.of("cmd", "seq " + lines))),
                    warmup > 0 ? List.of("warm-up") : List.of()));
            AddedJob job = manager.addJob("bench", tasks);
            return job.taskId("log");
        }

        @Override
        String updatePath(String id) {
            return "/tasks/" + id + "/";
        }

        @Override
        String config() {
            return "task_types = debug\n";
        }
    }

    /** Flamenco 3: the same task as an {@code exec} command of a {@code misc} task (commands.md §7). */
    private static final class V3Farm extends Farm {
        private final EmbeddedV3Manager manager;

        private V3Farm(EmbeddedV3Manager manager) {
            super(manager);
            this.manager = manager;
        }

        V3Farm() throws java.io.IOException {
            this(new EmbeddedV3Manager().start());
        }

        @Override
        String addLogTask(int warmup, int lines) {
            List<V3TaskSpec> tasks = new ArrayList<>();
            if (warmup > 0) {
                tasks.add(new V3TaskSpec("warm-up", "misc", List.of(seq(warmup))));
            }
            tasks.add(new V3TaskSpec("log", "misc", List.of(seq(lines)), warmup > 0 ? List.of("warm-up") : List.of()));
            return manager.addJob("bench", tasks).taskId("log");
        }

        private static Map<String, Object> seq(int lines) {
            return V3TaskSpec.command("exec", Map.of("exe", "seq", "args", List.of(Integer.toString(lines))));
        }

        @Override
        String updatePath(String id) {
            return "/api/v3/worker/task/" + id;
        }

        @Override
        String config() {
            return "manager_protocol = v3\ntask_types = misc\n";
        }
    }

    /** User + system CPU seconds of a process so far (Linux /proc). */
    private static double cpuSeconds(long pid) {
        double[] t = userAndSystemSeconds(Path.of("/proc", Long.toString(pid), "stat"));
        return t[0] + t[1];
    }

    private static double sysSeconds(long pid) {
        return userAndSystemSeconds(Path.of("/proc", Long.toString(pid), "stat"))[1];
    }

    private static void printThreadCpu(Map<String, Double> before, Map<String, Double> after) {
        after.replaceAll((name, cpu) -> cpu - before.getOrDefault(name, 0.0));
        after.entrySet().stream().filter(e -> e.getValue() > 0.005)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> System.out.printf(Locale.ROOT, "  %-16s %6.2f s%n", e.getKey(), e.getValue()));
    }

    /** CPU seconds of the worker's threads so far by name (Linux /proc; names cut to 15 chars, digits as N). */
    private static Map<String, Double> threadCpu(long pid) throws java.io.IOException {
        Map<String, Double> byName = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                    double[] times = userAndSystemSeconds(t.resolve("stat"));
                    byName.merge(name, times[0] + times[1], Double::sum);
                } catch (java.io.IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return byName;
    }

    /** utime and stime of a /proc stat file in seconds (clock ticks assumed 100/s); NaN when unreadable. */
    private static double[] userAndSystemSeconds(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new double[] {Long.parseLong(f[11]) / 100.0, Long.parseLong(f[12]) / 100.0};
        } catch (java.io.IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    private static double ownCpuSeconds() {
        return cpuSeconds(ProcessHandle.current().pid());
    }

    private static String peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return line.substring(6).strip();
                }
            }
        } catch (java.io.IOException e) {
            return "unknown";
        }
        return "unknown";
    }
}
