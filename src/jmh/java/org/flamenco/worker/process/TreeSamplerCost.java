package org.flamenco.worker.process;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CPU time of one {@link TreeSampler} sample of a running tree (a shell with three children), with {@code N} more
 * processes on the machine outside the tree (each sample lists all of /proc), measured as the sampling thread's
 * own CPU time over many samples. The worker samples once a second, so the share of a core is the time per sample
 * divided by one second. A plain program rather than JMH: it measures CPU time, not latency, and runs without the
 * bench profile. Run: see docs/benchmarks.md, "Resource sampling".
 */
public final class TreeSamplerCost {
    private static final int SAMPLES = 3000;

    private TreeSamplerCost() {
    }

    public static void main(String[] args) throws Exception {
        for (String arg : args.length == 0 ? new String[] {"0", "500"} : args) {
            measure(Integer.parseInt(arg));
        }
    }

    private static void measure(int otherProcesses) throws Exception {
        PosixProcessLauncher launcher = new PosixProcessLauncher();
        List<ChildProcess> started = new ArrayList<>();
        try {
            ChildProcess tree = launcher.start(new LaunchRequest(List.of("sh", "-c",
                    "sleep 600 & sleep 600 & sleep 600 & wait"), Path.of(".")));
            started.add(tree);
            for (int i = 0; i < otherProcesses; i++) {
                started.add(launcher.start(new LaunchRequest(List.of("sleep", "600"), Path.of("."))));
            }
            TreeSampler sampler = new TreeSampler(tree.pid(), System.nanoTime());
            for (int i = 0; i < 300; i++) {
                sampler.finish(System.nanoTime()); // warm-up; the first sample classifies every pid once
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            ResourceUsage last = null;
            for (int i = 0; i < SAMPLES; i++) {
                last = sampler.finish(System.nanoTime());
            }
            double cpuMicros = (threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / SAMPLES;
            double wallMicros = (System.nanoTime() - wall) / 1000.0 / SAMPLES;
            System.out.printf(Locale.ROOT, "%d processes in /proc, tree of %s: %.0f µs CPU (%.0f µs wall) per sample"
                    + " = %.3f %% of a core at 1 sample/s%n", ProcessHandle.allProcesses().count(), last.describe(),
                    cpuMicros, wallMicros, cpuMicros / 10_000.0);
        } finally {
            for (ChildProcess child : started) {
                child.signalGroup(ExitStatus.SIGKILL);
                child.waitFor(Duration.ofSeconds(5));
            }
        }
    }
}
