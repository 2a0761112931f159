package org.flamenco.worker.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time of a launched child's tree where there is no {@code /proc} (macOS, Windows), from
 * {@link ProcessHandle.Info#totalCpuDuration()}: the leader and every descendant seen are remembered (so a
 * re-parented grandchild still counts), and each keeps the last figure a sample read for it, so processes that
 * ended count with what they had used by then. CPU used after a process's last sample is lost (a command shorter
 * than the first sample shows none), and memory is not known this way. Called by one thread only.
 */
final class HandleCpuSampler {
    private final long leaderPid;
    /** Living members seen so far (a handle compares the start time too, so a reused pid is another process). */
    private final List<ProcessHandle> living = new ArrayList<>();
    private final Map<ProcessHandle, Duration> lastCpu = new HashMap<>();
    private boolean leaderSeen;

    HandleCpuSampler(long leaderPid) {
        this.leaderPid = leaderPid;
    }

    /** Samples the tree; the CPU time of every member seen, ended ones with their last figure. */
    Duration sample() {
        if (!leaderSeen) {
            ProcessHandle.of(leaderPid).ifPresent(living::add);
            leaderSeen = true;
        }
        for (ProcessHandle root : List.copyOf(living)) {
            root.descendants().filter(d -> !living.contains(d)).forEach(living::add);
        }
        living.removeIf(h -> {
            h.info().totalCpuDuration().ifPresent(cpu -> lastCpu.merge(h, cpu, HandleCpuSampler::larger));
            return !h.isAlive();
        });
        return lastCpu.values().stream().reduce(Duration.ZERO, Duration::plus);
    }

    private static Duration larger(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
