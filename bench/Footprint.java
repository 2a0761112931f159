import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.embedded.AddedJob;
import org.flamenco.worker.embedded.EmbeddedManager;
import org.flamenco.worker.embedded.RecordedRequest;
import org.flamenco.worker.embedded.TaskSpec;

/**
 * Footprint of the packaged worker (issue 24), run by {@code bench/footprint}: the zip's launcher with its default
 * (service) JVM flags against the embedded Manager (this JVM) on loopback. Prints start → first Manager request
 * and the worker's CPU time until then (two unmeasured starts first: the first records the classes, the second
 * makes the class-data archive, which the bench waits for; then the median of N), the idle RSS 10 s after the first
 * "no task" answer, the worker's CPU and its threads' voluntary context switches (wake-ups) over the next 20 s, and
 * optionally the peak RSS of a task printing 1,000,000 lines. A single-file program (java Footprint.java), not part
 * of the product.
 *
 * Arguments: the unpacked distribution directory (with bin/flamenco-worker), then options:
 * --starts N (default 5), --task (run the 1 M-line task), --idle-only, --starts-only, --java-home DIR (repeatable:
 * everything once per Java installation, e.g. JDK 17 and 25 in one command). Every figure is printed with the
 * machine's load average.
 * Environment passed on to the launcher (JAVA_HOME, FLAMENCO_WORKER_*) is this process's own.
 */
public final class Footprint {
    private static final String TASK_PATH = "/task";

    /** The JAVA_HOME the worker's launcher gets (null: the launcher's own choice from the environment). */
    private static String javaHome;

    public static void main(String[] args) throws Exception {
        Path dist = Path.of(args[0]).toAbsolutePath();
        List<String> opts = Arrays.asList(args).subList(1, args.length);
        int starts = opts.contains("--starts") ? Integer.parseInt(opts.get(opts.indexOf("--starts") + 1)) : 5;
        List<String> javaHomes = new ArrayList<>();
        for (int i = 0; i < opts.size() - 1; i++) {
            if (opts.get(i).equals("--java-home")) {
                javaHomes.add(Path.of(opts.get(i + 1)).toAbsolutePath().toString());
            }
        }
        if (javaHomes.isEmpty()) {
            javaHomes.add(System.getenv("JAVA_HOME"));
        }
        for (String jh : javaHomes) {
            javaHome = jh;
            Path home = Files.createTempDirectory("fw-footprint");
            try {
                System.out.printf(Locale.ROOT, "%n== worker: %s; java: %s (%s); %s%n", dist,
                        jh == null ? "(PATH)" : jh, javaVersion(jh), load());
                // --idle-only still makes the class-data archive first (two starts), as a node has it when idle
                startTimes(dist, home, opts.contains("--idle-only") ? 0 : starts);
                if (!opts.contains("--starts-only")) {
                    idle(dist, home, opts.contains("--task"));
                }
            } finally {
                removeTree(home);
            }
        }
    }

    /** The machine's load average (1, 5, 15 min): wall-clock figures on a shared machine mean little without it. */
    private static String load() throws java.io.IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return "load average " + f[0] + " " + f[1] + " " + f[2];
    }

    /** JAVA_VERSION of the installation's release file (the launcher's own source). */
    private static String javaVersion(String jh) throws java.io.IOException {
        Path release = jh != null ? Path.of(jh, "release")
                : Path.of(System.getProperty("java.home"), "release"); // the bench runs on the PATH's java
        if (!Files.isReadable(release)) {
            return "?";
        }
        return Files.readAllLines(release).stream().filter(l -> l.startsWith("JAVA_VERSION=")).findFirst()
                .map(l -> l.substring(13).replace("\"", "")).orElse("?");
    }

    private static void startTimes(Path dist, Path home, int starts) throws Exception {
        List<Long> millis = new ArrayList<>();
        List<Long> cpuMillis = new ArrayList<>();
        for (int i = -1; i <= starts; i++) {
            try (EmbeddedManager manager = new EmbeddedManager().start()) {
                Path dir = Files.createTempDirectory(home, "run");
                Instant before = Instant.now();
                Process worker = startWorker(dist, dir, home, manager);
                try {
                    RecordedRequest first = manager.awaitRequest(r -> true, Duration.ofSeconds(60));
                    long ms = Duration.between(before, first.time()).toMillis();
                    long cpu = Math.round(cpuSeconds(Path.of("/proc", Long.toString(worker.pid()), "stat")) * 1000);
                    if (i <= 0) {
                        // a first run records the classes for the archive only once it has signed on
                        manager.awaitRequest(r -> r.path().equals(TASK_PATH), Duration.ofSeconds(60));
                        System.out.printf(Locale.ROOT, "%s start (not counted; %s): %d ms%n",
                                i < 0 ? "first" : "second",
                                i < 0 ? "records the classes" : "makes the class-data archive", ms);
                    } else {
                        millis.add(ms);
                        cpuMillis.add(cpu);
                    }
                } finally {
                    stop(worker);
                }
                if (i == 0) {
                    awaitArchive(home);
                }
            }
        }
        if (millis.isEmpty()) {
            return;
        }
        List<Long> sorted = new ArrayList<>(millis);
        sorted.sort(null);
        System.out.printf(Locale.ROOT, "start -> first Manager request: median %d ms of %s (%s)%n",
                sorted.get(sorted.size() / 2), millis, load());
        List<Long> cpuSorted = new ArrayList<>(cpuMillis);
        cpuSorted.sort(null);
        System.out.printf(Locale.ROOT, "worker CPU (all threads) until then, less dependent on the machine's load: "
                + "median %d ms of %s%n", cpuSorted.get(cpuSorted.size() / 2), cpuMillis);
    }

    private static void idle(Path dist, Path home, boolean task) throws Exception {
        try (EmbeddedManager manager = new EmbeddedManager().start()) {
            Path dir = Files.createTempDirectory(home, "idle");
            Process worker = startWorker(dist, dir, home, manager);
            long pid = worker.pid();
            try {
                RecordedRequest noTask = manager.awaitRequest(
                        r -> r.path().equals(TASK_PATH) && r.status() == 204, Duration.ofSeconds(60));
                long firstSeq = noTask.sequence();
                TimeUnit.SECONDS.sleep(10);
                System.out.printf(Locale.ROOT, "idle RSS 10 s after the first 'no task': %.1f MiB (anonymous %.1f,"
                        + " files %.1f; %s threads; %s)%n", status(pid, "VmRSS:") / 1024.0,
                        status(pid, "RssAnon:") / 1024.0, status(pid, "RssFile:") / 1024.0,
                        status(pid, "Threads:"), load());
                if (System.getenv("FOOTPRINT_NMT") != null) {
                    new ProcessBuilder("jcmd", Long.toString(pid), "VM.native_memory", "summary").inheritIO()
                            .start().waitFor();
                }
                double cpu0 = cpuSeconds(Path.of("/proc", Long.toString(pid), "stat"));
                Map<String, Long> switches0 = threadSwitches(pid);
                long seq0 = manager.requests().size();
                TimeUnit.SECONDS.sleep(20);
                double cpu = cpuSeconds(Path.of("/proc", Long.toString(pid), "stat")) - cpu0;
                Map<String, Long> switches = threadSwitches(pid);
                long requests = manager.requests().size() - seq0;
                System.out.printf(Locale.ROOT, "idle CPU over 20 s: %.2f s; %d Manager requests in that time "
                        + "(first 'no task' was request #%d; %s)%n", cpu, requests, firstSeq, load());
                StringBuilder woke = new StringBuilder();
                switches.forEach((name, n) -> {
                    long d = n - switches0.getOrDefault(name, 0L);
                    if (d > 0) {
                        woke.append(String.format(Locale.ROOT, " %s=%d", name, d));
                    }
                });
                System.out.println("wake-ups (voluntary context switches) per thread over 20 s:" + woke);
                System.out.println("threads: " + String.join(" ", threadNames(pid)));
                // after the idle figures: jcmd starts the JVM's attach listener (one more thread)
                System.out.println("classes loaded at idle (jcmd VM.class_hierarchy, interfaces included): "
                        + classCount(pid));
                if (task) {
                    AddedJob job = manager.addJob("footprint", List.of(new TaskSpec("log", "debug",
                            List.of(TaskSpec.command("exec", Map.of("cmd", "seq 1000000"))))));
                    long t0 = System.nanoTime();
                    manager.awaitTaskStatus(job.taskId("log"), "completed", Duration.ofMinutes(10));
                    System.out.printf(Locale.ROOT, "1,000,000-line task: %.1f s, peak RSS %.1f MiB; RSS after it "
                            + "%.1f MiB (%s)%n", (System.nanoTime() - t0) / 1e9, status(pid, "VmHWM:") / 1024.0,
                            status(pid, "VmRSS:") / 1024.0, load());
                    TimeUnit.SECONDS.sleep(10);
                    System.out.printf(Locale.ROOT, "RSS 10 s after the task: %.1f MiB%n",
                            status(pid, "VmRSS:") / 1024.0);
                }
            } finally {
                stop(worker);
            }
        }
    }

    /** Waits (up to 5 min) for the launcher's background JVM to make the class-data archive, unless CDS is off. */
    private static void awaitArchive(Path home) throws Exception {
        String cds = System.getenv().getOrDefault("FLAMENCO_WORKER_CDS", "");
        if (List.of("off", "OFF", "0", "no", "false").contains(cds)) {
            return;
        }
        Path cache = home.resolve(".cache/flamenco-worker");
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(5)) {
            try (var files = Files.list(cache)) {
                if (files.anyMatch(f -> f.getFileName().toString().matches("cds-.*\\.jsa"))) {
                    System.out.printf(Locale.ROOT, "class-data archive made %.0f s after that start%n",
                            (System.nanoTime() - t0) / 1e9);
                    return;
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // no cache directory (yet)
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        System.out.println("no class-data archive after 5 min: measuring without one");
    }

    private static Process startWorker(Path dist, Path dir, Path home, EmbeddedManager manager) throws Exception {
        Path cfg = dir.resolve("flamenco-worker.cfg");
        Files.writeString(cfg, "[flamenco-worker]\nmanager_url = " + manager.url() + "\n"
                + "task_types = debug\ncredentials_file = " + dir.resolve("credentials.cfg") + "\n"
                + "task_update_queue_db = " + dir.resolve("q.db") + "\nsubprocess_pid_file = " + dir.resolve("pid")
                + "\n");
        ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/flamenco-worker").toString(), "-c", cfg.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("worker.log").toFile());
        // One HOME for every start of this bench, so per-user caches persist between starts as they would.
        pb.environment().put("HOME", home.toString());
        if (javaHome != null) {
            pb.environment().put("JAVA_HOME", javaHome);
        }
        pb.environment().remove("XDG_CACHE_HOME");
        return pb.start();
    }

    private static void stop(Process worker) throws InterruptedException {
        worker.destroy();
        if (!worker.waitFor(60, TimeUnit.SECONDS)) {
            worker.destroyForcibly().waitFor();
        }
    }

    private static long status(long pid, String key) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).strip().split("\\s+")[0]);
            }
        }
        return -1;
    }

    private static List<String> threadNames(long pid) throws java.io.IOException {
        List<String> names = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                names.add(Files.readString(t.resolve("comm")).strip());
            }
        }
        names.sort(null);
        return names;
    }

    /** Classes loaded in the worker's JVM (jcmd VM.class_hierarchy, one line per class), or "?" */
    private static String classCount(long pid) {
        Path jcmd = Path.of(javaHome != null ? javaHome : System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.class_hierarchy")
                    .redirectErrorStream(true).start();
            long classes = new String(p.getInputStream().readAllBytes()).lines()
                    .filter(l -> l.contains("/")).count(); // name/loader
            return p.waitFor() == 0 ? Long.toString(classes) : "?";
        } catch (java.io.IOException | InterruptedException e) {
            return "?";
        }
    }

    /** Voluntary context switches per thread name (a thread that blocks and is woken counts one each time). */
    private static Map<String, Long> threadSwitches(long pid) throws java.io.IOException {
        Map<String, Long> byName = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).strip();
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            byName.merge(name, Long.parseLong(line.substring(24).strip()), Long::sum);
                        }
                    }
                } catch (java.io.IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return byName;
    }

    /** utime + stime of a /proc stat file in seconds (100 clock ticks per second). */
    private static double cpuSeconds(Path statFile) throws java.io.IOException {
        String stat = Files.readString(statFile);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    private static void removeTree(Path root) throws java.io.IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
