package org.flamenco.worker.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Linux {@code /proc} and JDK-tool readings of one process, for the soak and chaos harnesses. */
final class ProcStats {
    private final long pid;

    ProcStats(long pid) {
        this.pid = pid;
    }

    /** Resident set size in KiB ({@code VmRSS}), -1 when unreadable. */
    long rssKib() {
        return statusField("VmRSS:");
    }

    /** Threads ({@code Threads:} of /proc status), -1 when unreadable. */
    long threads() {
        return statusField("Threads:");
    }

    /** Open file descriptors, -1 when unreadable. */
    long openFds() {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** User + system CPU seconds of the process itself (not its children; 100 clock ticks a second). */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * Java heap in use right after a full GC, in KiB: {@code jcmd GC.run}, then the used columns of
     * {@code jstat -gc} (survivors + eden + old); -1 when the tools cannot attach. Also returns metaspace used.
     *
     * @return {heap used KiB, metaspace used KiB}
     */
    long[] heapAfterGcKib() {
        try {
            run(List.of(tool("jcmd"), Long.toString(pid), "GC.run"));
            List<String> out = run(List.of(tool("jstat"), "-gc", Long.toString(pid)));
            if (out.size() < 2) {
                return new long[] {-1, -1};
            }
            String[] names = out.get(0).trim().split("\\s+");
            String[] values = out.get(1).trim().split("\\s+");
            double heap = 0;
            double meta = -1;
            for (int i = 0; i < names.length && i < values.length; i++) {
                switch (names[i]) {
                    case "S0U", "S1U", "EU", "OU" -> heap += Double.parseDouble(values[i]);
                    case "MU" -> meta = Double.parseDouble(values[i]);
                    default -> {
                    }
                }
            }
            return new long[] {Math.round(heap), Math.round(meta)};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new long[] {-1, -1};
        }
    }

    /** Size of a file in bytes, 0 when absent. */
    static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return -1;
        }
    }

    /** PIDs of live processes (other than this JVM) whose command line contains {@code marker}. */
    static List<Long> pidsWithArgument(String marker) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(ph -> ph.info().commandLine().ifPresent(cl -> {
            if (cl.contains(marker) && ph.pid() != ProcessHandle.current().pid()) {
                pids.add(ph.pid());
            }
        }));
        return pids;
    }

    private long statusField(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static List<String> run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return lines;
    }
}
