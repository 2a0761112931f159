package org.flamenco.worker.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.embedded.EmbeddedManager;
import org.flamenco.worker.embedded.TaskSpec;
import org.flamenco.worker.embedded.TaskView;

/**
 * Steady-load soak of the packaged worker: the embedded Manager (this JVM) hands out, one after the other, tasks
 * whose child prints numbered lines at a moderate rate; every minute the worker's RSS, heap after a full GC,
 * metaspace, open file descriptors, threads, queue and WAL size, CPU time and the lines delivered are sampled and
 * printed as a Markdown table row. Every completed task's log is checked (every line once, in order) and then
 * deleted from the Manager, so this JVM stays flat too. Run through {@code bench/soak}; see README "Testing".
 *
 * <p>Options: {@code --minutes N} (60), {@code --rate LINES_PER_S} (2000), {@code --task-seconds S} (30),
 * {@code --jar PATH} (the worker jar; its {@code lib/} must sit beside it), {@code --dir DIR} (work directory,
 * default a new temporary one), {@code --out FILE} (the table is appended there too). Exit 0 when every task was
 * delivered intact and the worker stopped cleanly, 1 otherwise.
 */
public final class Soak {
    private static final String HEADER = "| min | RSS MiB | heap after GC KiB | metaspace KiB | fds | threads "
            + "| queue KiB | WAL KiB | CPU s (total) | lines (total) | CPU µs/line (this min) | tasks ok |";

    private final Duration length;
    private final int rate;
    private final int taskSeconds;
    private final Path jar;
    private final Path dir;
    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();
    private final List<String> pending = new ArrayList<>();
    private long linesDelivered;
    private int tasksOk;
    private int taskCounter;

    private Soak(Duration length, int rate, int taskSeconds, Path jar, Path dir, PrintStream out) {
        this.length = length;
        this.rate = rate;
        this.taskSeconds = taskSeconds;
        this.jar = jar;
        this.dir = dir;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args, Map.of("--minutes", "60", "--rate", "2000", "--task-seconds", "30",
                "--jar", "target/flamenco-worker.jar", "--dir", "", "--out", ""));
        Path dir = o.get("--dir").isEmpty() ? Files.createTempDirectory("fw-soak") : Path.of(o.get("--dir"));
        Files.createDirectories(dir);
        PrintStream out = o.get("--out").isEmpty() ? System.out : new TeeStream(Path.of(o.get("--out")));
        Soak soak = new Soak(Duration.ofMinutes(o.getInt("--minutes")), o.getInt("--rate"),
                o.getInt("--task-seconds"), Path.of(o.get("--jar")).toAbsolutePath(), dir, out);
        int code = soak.run();
        out.flush();
        System.exit(code);
    }

    private int run() throws Exception {
        Path privateJar = WorkerLauncher.copyJar(jar, dir.resolve("bin"));
        try (EmbeddedManager manager = new EmbeddedManager().start()) {
            WorkerLauncher launcher = new WorkerLauncher(privateJar, dir, manager.url().toString(), Map.of());
            out.printf(Locale.ROOT, "soak: %d min, %d lines/s in tasks of %d s, worker %s, dir %s, started %s%n",
                    length.toMinutes(), rate, taskSeconds, privateJar, dir, Instant.now());
            out.println(HEADER);
            out.println(HEADER.replaceAll("[^|]", "-"));
            Process worker = launcher.start();
            ProcStats stats = new ProcStats(worker.pid());
            long start = System.nanoTime();
            long end = start + length.toNanos();
            long nextSample = start + TimeUnit.MINUTES.toNanos(1);
            double lastCpu = stats.cpuSeconds();
            long lastLines = 0;
            int minute = 0;
            while (System.nanoTime() < end) {
                feed(manager);
                check(manager, false);
                if (System.nanoTime() >= nextSample) {
                    minute++;
                    nextSample += TimeUnit.MINUTES.toNanos(1);
                    double cpu = stats.cpuSeconds();
                    long lines = linesDelivered + countDelivered(manager);
                    sample(minute, stats, cpu, lines, (cpu - lastCpu) / Math.max(1, lines - lastLines) * 1e6);
                    lastCpu = cpu;
                    lastLines = lines;
                }
                if (!worker.isAlive()) {
                    failures.add("the worker exited by itself with code " + worker.exitValue());
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
            if (minute < length.toMinutes() && worker.isAlive()) {
                double cpu = stats.cpuSeconds();
                long lines = linesDelivered + countDelivered(manager);
                sample(minute + 1, stats, cpu, lines, (cpu - lastCpu) / Math.max(1, lines - lastLines) * 1e6);
            }
            finish(manager, worker);
        }
        out.printf(Locale.ROOT, "soak ended %s: %d tasks delivered intact, %d lines; %s%n", Instant.now(), tasksOk,
                linesDelivered, failures.isEmpty() ? "PASS" : "FAIL " + failures);
        return failures.isEmpty() ? 0 : 1;
    }

    /** Keeps two tasks queued, each its own one-task job. */
    private void feed(EmbeddedManager manager) {
        long queued = pending.stream().filter(id -> manager.taskStatus(id).equals("queued")).count();
        for (long i = queued; i < 2; i++) {
            taskCounter++;
            String script = "i=0; while [ $i -lt " + taskSeconds + " ]; do seq -f 'L" + taskCounter + ":%.0f "
                    + "soak-padding-to-make-a-line-of-realistic-length' $((i*" + rate + "+1)) $((i*" + rate + "+"
                    + rate + ")); sleep 1; i=$((i+1)); done";
            String id = manager.addJob("soak-" + taskCounter, List.of(new TaskSpec("lines", "debug",
                    List.of(TaskSpec.command("exec", Map.of("cmd", "sh -c \"" + script + "\"")))))).taskId("lines");
            pending.add(id);
        }
    }

    /** Checks completed (or, at the end, all) pending tasks, then deletes them from the Manager. */
    private void check(EmbeddedManager manager, boolean all) {
        for (String id : new ArrayList<>(pending)) {
            String status = manager.taskStatus(id);
            if (!status.equals("completed") && !all) {
                continue;
            }
            TaskView t = manager.task(id);
            List<String> problems = LineLedger.checkExact(t, taskSeconds * (long) rate);
            if (!status.equals("completed") && !status.equals("canceled")) {
                problems = new ArrayList<>(problems);
                problems.add("status " + status + " at the end");
            }
            if (status.equals("canceled") && LineLedger.numbers(t).isEmpty()) {
                problems = List.of();
            } else if (problems.isEmpty()) {
                tasksOk++;
            } else {
                failures.add("task " + t.jobId() + "/" + id + ": " + problems);
            }
            linesDelivered += t.logLines().stream().filter(l -> l.contains(" > ")).count();
            manager.deleteTask(id);
            manager.forgetRequests();
            pending.remove(id);
        }
    }

    /** Lines of tasks still pending that the Manager already holds. */
    private long countDelivered(EmbeddedManager manager) {
        long n = 0;
        for (String id : pending) {
            n += manager.task(id).logLines().stream().filter(l -> l.contains(" > ")).count();
        }
        return n;
    }

    private void sample(int minute, ProcStats stats, double cpu, long lines, double cpuPerLineMicros) {
        long[] heap = stats.heapAfterGcKib();
        Path q = dir.resolve("flamenco-worker.db");
        out.printf(Locale.ROOT, "| %d | %.1f | %d | %d | %d | %d | %d | %d | %.1f | %d | %.1f | %d |%n", minute,
                stats.rssKib() / 1024.0, heap[0], heap[1], stats.openFds(), stats.threads(),
                ProcStats.size(q) / 1024, ProcStats.size(Path.of(q + "-wal")) / 1024, cpu, lines, cpuPerLineMicros,
                tasksOk);
        out.flush();
    }

    private void finish(EmbeddedManager manager, Process worker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && pending.stream().anyMatch(id -> {
            String s = manager.taskStatus(id);
            return !s.equals("queued") && !s.equals("completed");
        })) {
            TimeUnit.MILLISECONDS.sleep(500);
        }
        for (String id : pending) {
            if (manager.taskStatus(id).equals("queued")) {
                manager.cancelTask(id);
            }
        }
        // A task fetched just before the cancel is stopped by may-i-run and ends canceled, too.
        while (System.nanoTime() < deadline && pending.stream().anyMatch(id -> {
            String s = manager.taskStatus(id);
            return !s.equals("canceled") && !s.equals("completed");
        })) {
            TimeUnit.MILLISECONDS.sleep(500);
        }
        check(manager, true);
        if (worker.isAlive()) {
            worker.destroy();
            if (!worker.waitFor(60, TimeUnit.SECONDS)) {
                failures.add("the worker did not stop within 60 s of SIGTERM");
                worker.destroyForcibly();
            } else if (worker.exitValue() != 0) {
                failures.add("the worker exited with " + worker.exitValue() + " after SIGTERM");
            }
        }
        List<Long> left = ProcStats.pidsWithArgument("soak-padding");
        if (!left.isEmpty()) {
            failures.add("processes left running: " + left);
        }
    }

    /** Prints to stdout and appends to a file. */
    private static final class TeeStream extends PrintStream {
        TeeStream(Path file) throws IOException {
            super(new java.io.OutputStream() {
                private final java.io.OutputStream f = Files.newOutputStream(file, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);

                @Override
                public void write(int b) throws IOException {
                    System.out.write(b);
                    f.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    System.out.write(b, off, len);
                    f.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    System.out.flush();
                    f.flush();
                }
            }, true, StandardCharsets.UTF_8);
        }
    }
}
