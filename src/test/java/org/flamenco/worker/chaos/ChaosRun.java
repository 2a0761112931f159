package org.flamenco.worker.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.embedded.TaskView;
import org.flamenco.worker.embedded.WorkerView;

/**
 * One chaos run: the embedded Manager (this JVM) and the packaged worker (an OS process with the service JVM
 * flags), tasks from {@link TaskShapes}, faults from a {@link FaultSchedule}, then the ledger ({@link TaskLedger}
 * per task, dead letters, worker exits, leftover processes). Faults are injected one after the other from the
 * calling thread; the waits between them are wall-clock time by nature.
 */
public final class ChaosRun {
    static final int MAX_UPDATE_LINES = 1000;
    /** Faults hit tasks that were not final, or became final less than this long ago (their last update in flight). */
    private static final long RECENT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final long seed;
    private final Duration length;
    private final Path jar;
    private final Path dir;
    private final PrintStream out;
    private final String protocol;
    private final String processLauncher;
    private final String marker;
    private final FaultInjector injector = new FaultInjector(this);
    final Map<String, TaskLedger> tasks = new LinkedHashMap<>();
    private final Map<String, Long> finalSince = new LinkedHashMap<>();
    final List<String> violations = new ArrayList<>();
    private final Map<FaultSchedule.Kind, Integer> faultCounts = new EnumMap<>(FaultSchedule.Kind.class);
    private final long startNanos = System.nanoTime();
    ChaosManager manager;
    WorkerLauncher launcher;
    Process worker;
    SmallDisk disk;
    /** The worker is expected to exit by itself (a shutdown status change was requested). */
    boolean shutdownRequested;
    private int tagCounter;

    /**
     * @param seed   fault schedule and task shapes
     * @param length how long faults are injected (the final drain and checks come on top)
     * @param jar    the packaged worker jar, {@code lib/} beside it; copied into {@code dir} first
     * @param dir    work directory (worker config, queue, log); kept when the run fails
     */
    public ChaosRun(long seed, Duration length, Path jar, Path dir, PrintStream out) {
        this(seed, length, jar, dir, out, "v2", "");
    }

    /**
     * As the other constructor, against the embedded Manager of {@code protocol} ({@code v2} or {@code v3}), with
     * the worker's {@code process_launcher} set to {@code processLauncher} (empty: the worker's default).
     */
    public ChaosRun(long seed, Duration length, Path jar, Path dir, PrintStream out, String protocol,
            String processLauncher) {
        this.protocol = protocol;
        this.processLauncher = processLauncher;
        this.seed = seed;
        this.length = length;
        this.jar = jar;
        this.dir = dir;
        this.out = out;
        this.marker = "fwchaos-" + Long.toHexString(seed) + "-" + ProcessHandle.current().pid();
    }

    /** Runs it and prints the ledger; returns the violations (empty: passed). */
    public List<String> run() throws Exception {
        Path privateJar = WorkerLauncher.copyJar(jar, dir.resolve("bin"));
        disk = SmallDisk.mount(dir.resolve("queue-fs"), 96);
        Path queueDir = disk != null ? disk.path() : dir;
        FaultSchedule schedule = new FaultSchedule(seed, disk != null);
        Random shapes = new Random(seed * 31 + 7);
        manager = protocol.equals("v3") ? new V3ChaosManager() : new V2ChaosManager();
        Thread cleanUp = new Thread(this::emergencyCleanUp, "chaos-clean-up");
        Runtime.getRuntime().addShutdownHook(cleanUp); // a run interrupted by ^C leaves no worker and no mount
        try {
            Map<String, String> keys = new LinkedHashMap<>(manager.workerKeys());
            keys.putAll(Map.ofEntries(
                    Map.entry("task_update_queue_db", queueDir.resolve("flamenco-worker.db").toString()),
                    Map.entry("push_log_max_interval_seconds", "1"),
                    Map.entry("push_act_max_interval_seconds", "1"),
                    Map.entry("push_log_max_entries", Integer.toString(MAX_UPDATE_LINES)),
                    Map.entry("subprocess_kill_grace_seconds", "2"), Map.entry("shutdown_timeout_seconds", "20"),
                    Map.entry("http_connect_timeout_seconds", "2"), Map.entry("http_read_timeout_seconds", "5"),
                    Map.entry("task_log_max_bytes", "1048576")));
            if (!processLauncher.isEmpty()) {
                keys.put("process_launcher", processLauncher);
            }
            launcher = new WorkerLauncher(privateJar, dir, manager.url(), keys);
            out.printf(Locale.ROOT, "chaos: protocol %s, launcher %s, seed %d, %d s of faults, disk full %s, dir %s%n",
                    protocol, processLauncher.isEmpty() ? "default" : processLauncher, seed, length.toSeconds(),
                    disk != null ? "on a 96 MiB tmpfs" : "not available (no tmpfs mount)", dir);
            worker = launcher.start();
            long end = startNanos + length.toNanos();
            FaultSchedule.Fault next = schedule.next();
            long nextAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(next.pauseMillis());
            while (System.nanoTime() < end) {
                feed(shapes);
                supervise();
                if (System.nanoTime() >= nextAt) {
                    log("fault " + next);
                    faultCounts.merge(next.kind(), 1, Integer::sum);
                    injector.inject(next);
                    next = schedule.next();
                    nextAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(next.pauseMillis());
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            drain();
        } finally {
            if (worker != null && worker.isAlive()) {
                worker.descendants().forEach(ProcessHandle::destroyForcibly);
                worker.destroyForcibly();
            }
            manager.close();
            if (disk != null) {
                disk.close();
            }
            killLeftovers();
            Runtime.getRuntime().removeShutdownHook(cleanUp);
        }
        printLedger();
        return violations;
    }

    // ---- feeding and supervision -----------------------------------------------------------------------------

    /** Keeps two tasks queued; notes when tasks became final. */
    private void feed(Random shapes) {
        long queued = 0;
        for (TaskLedger t : tasks.values()) {
            String s = manager.taskStatus(t.id);
            if (s.equals("queued")) {
                queued++;
            } else if (isFinal(s)) {
                finalSince.putIfAbsent(t.id, System.nanoTime());
            }
        }
        for (long i = queued; i < 2; i++) {
            TaskShapes.Shaped shaped = TaskShapes.next(shapes, ++tagCounter, marker);
            String id = manager.addTask(shaped);
            tasks.put(id, new TaskLedger(shaped, id));
        }
    }

    private static boolean isFinal(String status) {
        return status.equals("completed") || status.equals("canceled") || status.equals("failed");
    }

    /** Restarts a worker that exited (like {@code Restart=always}); an exit nobody asked for is a violation. */
    void supervise() throws IOException, InterruptedException {
        if (worker.isAlive()) {
            return;
        }
        int code = worker.exitValue();
        if (!(shutdownRequested && code == 0)) {
            violation("the worker exited by itself with code " + code);
        } else {
            log("worker exited 0 after the shutdown request; restarting it");
        }
        shutdownRequested = false;
        if (code == 2 || code == 3) {
            throw new IllegalStateException("the worker refuses to start (exit " + code + "); see " + dir);
        }
        restartWorker();
    }

    void restartWorker() throws IOException {
        worker = launcher.start();
    }

    /** Faults count for every task not final, or final only recently. */
    List<TaskLedger> exposedTasks() {
        long now = System.nanoTime();
        List<TaskLedger> out = new ArrayList<>();
        for (TaskLedger t : tasks.values()) {
            Long since = finalSince.get(t.id);
            if (since == null || now - since < RECENT_NANOS) {
                out.add(t);
            }
        }
        return out;
    }

    /** The task the worker runs now, if any. */
    java.util.Optional<TaskLedger> activeTask() {
        return tasks.values().stream().filter(t -> manager.taskStatus(t.id).equals("active")).findFirst();
    }

    /** The newest worker record (a re-registered worker gets a new one). */
    java.util.Optional<WorkerView> workerRecord() {
        return manager.newestWorker();
    }

    void violation(String text) {
        violations.add(text);
        log("VIOLATION " + text);
    }

    void log(String text) {
        out.printf(Locale.ROOT, "[%7.1f s] %s%n", (System.nanoTime() - startNanos) / 1e9, text);
    }

    // ---- the end: drain and check -----------------------------------------------------------------------------

    private void drain() throws Exception {
        log("faults over; draining");
        injector.healAll();
        supervise();
        await("every started task final", Duration.ofMinutes(3), () -> tasks.values().stream()
                .allMatch(t -> manager.taskStatus(t.id).equals("queued") || settled(t)));
        for (TaskLedger t : tasks.values()) {
            if (manager.taskStatus(t.id).equals("queued")) {
                t.canceledByChaos = true;
                manager.cancelTask(t.id);
            }
        }
        await("every task final", Duration.ofMinutes(2), () -> tasks.values().stream().allMatch(this::settled));
        worker.destroy();
        if (!worker.waitFor(60, TimeUnit.SECONDS)) {
            violation("the worker did not exit within 60 s of the final SIGTERM");
        } else if (worker.exitValue() != 0) {
            violation("the worker exited " + worker.exitValue() + " after the final SIGTERM");
        }
        await("no process of the run left", Duration.ofSeconds(15), () -> ProcStats.pidsWithArgument(marker)
                .isEmpty());
        List<Long> left = ProcStats.pidsWithArgument(marker);
        if (!left.isEmpty()) {
            violation("processes left running after the worker stopped: " + left);
        }
        checkTasks();
        checkDeadLetters();
    }

    /**
     * Final, or {@code cancel-requested} with a final status reported (the worker finished the task before it heard
     * of the cancel, and the Manager ignores the status of a task that is no longer active), or cancelled by the run
     * after an interruption (a worker killed meanwhile no longer knows the task, so nobody returns it: the embedded
     * Manager only makes a task {@code canceled} when its worker returns it).
     */
    private boolean settled(TaskLedger t) {
        String s = manager.taskStatus(t.id);
        return isFinal(s) || s.equals("cancel-requested") && (t.canceledWhileGone() || manager.task(t.id).updates()
                .stream().anyMatch(u -> "completed".equals(u.get("task_status"))
                        || "failed".equals(u.get("task_status"))));
    }

    private void await(String what, Duration timeout, java.util.function.BooleanSupplier condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                violation("timed out after " + timeout.toSeconds() + " s waiting for " + what);
                return;
            }
            supervise();
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    private void checkTasks() {
        for (TaskLedger t : tasks.values()) {
            TaskView view = manager.task(t.id);
            t.badRequestReplies = (int) manager.requests("POST", manager.updatePath(t.id)).stream()
                    .filter(r -> r.status() == 400).count();
            t.check(view, MAX_UPDATE_LINES);
            t.violations.forEach(v -> violations.add("task L" + t.shaped.tag() + " " + t.id + ": " + v));
        }
    }

    /** Dead letters only for tasks whose update the Manager answered 400. */
    private void checkDeadLetters() throws Exception {
        Path db = (disk != null ? disk.path() : dir).resolve("flamenco-worker.db");
        if (!Files.exists(db)) {
            return;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT task_id, http_status, COUNT(*) FROM task_update_dead_letter"
                     + " GROUP BY task_id, http_status")) {
            while (rs.next()) {
                String task = rs.getString(1);
                int status = rs.getInt(2);
                TaskLedger t = tasks.get(task);
                boolean asked = t != null && t.badRequestReplies > 0 && status == 400;
                log("dead letters: task " + task + " status " + status + ": " + rs.getInt(3) + " rows"
                        + (asked ? " (a fault answered 400)" : ""));
                if (!asked) {
                    violation("dead letters for task " + task + " (status " + status + ") without a 400 fault");
                }
            }
        }
    }

    private void emergencyCleanUp() {
        Process w = worker;
        if (w != null && w.isAlive()) {
            w.descendants().forEach(ProcessHandle::destroyForcibly);
            w.destroyForcibly();
        }
        killLeftovers();
        try {
            if (disk != null) {
                disk.close();
            }
        } catch (IOException | InterruptedException e) {
            // nothing more to do on the way out
        }
    }

    private void killLeftovers() {
        for (long pid : ProcStats.pidsWithArgument(marker)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private void printLedger() {
        out.println("ledger:");
        tasks.values().stream().sorted(Comparator.comparingInt(t -> t.shaped.tag()))
                .forEach(t -> out.println("  " + t.summary()));
        long lines = tasks.values().stream().filter(t -> t.status.equals("completed"))
                .mapToLong(t -> t.shaped.count()).sum();
        out.printf(Locale.ROOT, "faults: %s%n", faultCounts);
        out.printf(Locale.ROOT, "tasks: %d (%d completed, %d canceled), %d lines in completed tasks%n", tasks.size(),
                tasks.values().stream().filter(t -> t.status.equals("completed")).count(),
                tasks.values().stream().filter(t -> t.status.equals("canceled")).count(), lines);
        if (violations.isEmpty()) {
            out.printf(Locale.ROOT, "PASS seed %d%n", seed);
        } else {
            out.printf(Locale.ROOT, "FAIL seed %d: %d violations; replay with: bench/chaos --seed %d --minutes %s"
                    + "%s%s (work directory kept: %s)%n", seed, violations.size(), seed,
                    length.toSeconds() % 60 == 0 ? Long.toString(length.toMinutes())
                            : String.format(Locale.ROOT, "%.2f", length.toSeconds() / 60.0),
                    protocol.equals("v2") ? "" : " --protocol " + protocol,
                    processLauncher.isEmpty() ? "" : " --launcher " + processLauncher, dir);
            violations.forEach(v -> out.println("  " + v));
        }
    }

    String marker() {
        return marker;
    }

    /** Against the Flamenco 3 Manager. */
    boolean isV3() {
        return protocol.equals("v3");
    }
}
