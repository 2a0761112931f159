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
import org.flamenco.worker.embedded.TaskSpec;
import org.flamenco.worker.embedded.TaskView;

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
 * Manager) during the timed part. A second argument names another worker jar (for A/B runs against an older
 * build).
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
        try (EmbeddedManager manager = new EmbeddedManager().start()) {
            int workerWarmup = Integer.getInteger("bench.workerWarmup", 0);
            List<TaskSpec> tasks = new ArrayList<>();
            if (workerWarmup > 0) {
                tasks.add(new TaskSpec("warm-up", "debug", List.of(
                        TaskSpec.command("exec", Map.of("cmd", "seq " + workerWarmup)))));
            }
            tasks.add(new TaskSpec("log", "debug", List.of(TaskSpec.command("exec", Map.of("cmd", "seq " + lines))),
                    workerWarmup > 0 ? List.of("warm-up") : List.of()));
            AddedJob job = manager.addJob("bench", tasks);
            String id = job.taskId("log");
            if (outage) {
                manager.failNext(Integer.MAX_VALUE, "/tasks/" + id + "/", 503, "down for the benchmark");
            }
            Process worker = startWorker(jar, dir, manager.url().toString());
            try {
                manager.awaitRequest(r -> r.path().equals("/tasks/" + id + "/update"), Duration.ofMinutes(2));
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
                TaskView done = manager.task(id);
                long received = done.logLines().stream().filter(l -> l.contains(" > ")).count();
                int updates = done.updates().size();
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
    private static void awaitCompletedUpdate(EmbeddedManager manager, String id, Duration timeout)
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

    private static Process startWorker(Path jar, Path dir, String url) throws Exception {
        Files.writeString(dir.resolve("flamenco-worker.cfg"), "[flamenco-worker]\nmanager_url = " + url + "\n"
                + "task_types = debug\ncredentials_file = " + dir.resolve("credentials.cfg") + "\n"
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
