package org.flamenco.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Measures a launched child's process tree from Linux's {@code /proc}: wall time, CPU time of the whole tree and
 * the tree's peak resident memory. Where there is no {@code /proc} (macOS, Windows) only the CPU time is known,
 * through {@link HandleCpuSampler}.
 *
 * <p>The tree is the child's process group plus any process whose parent is in the tree (which catches members
 * that started a session of their own). Each sample lists {@code /proc}, reads the {@code stat} of pids it has not
 * seen before once (to learn whether they belong to the tree), and reads {@code stat} and {@code status} of the
 * tree's processes: the cost grows with the tree, not with the machine.
 *
 * <p>CPU time = what the worker's own waited-for children used since the start ({@code cutime + cstime} of the
 * worker, which the leader joins when the JVM reaps it, with everything the leader waited for) + what the living
 * tree processes used ({@code utime + stime + cutime + cstime} each, the last part holding the children they have
 * reaped) + the last sample of tree processes that ended with no tree process to wait for them (orphans re-parented
 * to init). Only CPU an orphan used after its last sample is lost. The worker runs one subprocess at a time; another
 * child of the worker ending during the run would be counted too.
 *
 * <p>Peak memory = the highest sum of {@code VmRSS} of the tree's living processes at a sample, or the highest single
 * process's {@code VmHWM} (its own peak, which also catches a short spike between samples), whichever is larger.
 *
 * <p>Thread safety: {@link #sampleIfDue} and {@link #finish} are called by the controlling thread only;
 * {@link #latest()} may be read from any thread (e.g. a metrics gauge).
 */
public final class TreeSampler {
    /**
     * One sample a second in the long run (see docs/benchmarks.md for what it costs); a young tree is sampled after
     * 50 ms, then at intervals as long as its age, so a short command is measured too.
     */
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration FIRST_INTERVAL = Duration.ofMillis(50);
    private static final Path PROC = Path.of("/proc");
    private static final long NANOS_PER_TICK = 1_000_000_000L / ProcStat.TICKS_PER_SECOND;

    private final long pgid;
    private final long workerPid = ProcessHandle.current().pid();
    private final long startNanos;
    private final boolean available;
    /** Where there is no /proc: the CPU time through {@link ProcessHandle}. */
    private final HandleCpuSampler handles;
    private final long workerChildTicksAtStart;
    /** Discovery cache: every pid seen in /proc, true when it belongs to the tree. */
    private final Map<Long, Boolean> seen = new HashMap<>();
    /** The last sample of each tree process still listed in /proc (zombies included). */
    private final Map<Long, Member> members = new HashMap<>();
    private long orphanTicks;
    private long peakRss;
    private long nextSampleNanos;
    private volatile ResourceUsage latest;

    /** @param orphan at this sample, neither the worker nor a tree process was its parent: nobody here waits */
    private record Member(ProcStat stat, long rssBytes, long hwmBytes, boolean orphan) {
        Member orphan(boolean value) {
            return new Member(stat, rssBytes, hwmBytes, value);
        }
    }

    /**
     * @param pgid       the group the launched child leads (its pid)
     * @param startNanos monotonic time of the start
     */
    public TreeSampler(long pgid, long startNanos) {
        this.pgid = pgid;
        this.startNanos = startNanos;
        Optional<ProcStat> self = ProcStat.self();
        this.available = self.isPresent();
        this.handles = new HandleCpuSampler(pgid);
        this.workerChildTicksAtStart = self.map(ProcStat::childrenTicks).orElse(0L);
        this.nextSampleNanos = startNanos;
        this.latest = new ResourceUsage(Duration.ZERO, Duration.ZERO, 0, available);
    }

    /** The figures of the latest sample (the final ones after {@link #finish}). */
    public ResourceUsage latest() {
        return latest;
    }

    /** Samples when the interval since the last sample has passed. */
    public void sampleIfDue(long nowNanos) {
        if (nowNanos - nextSampleNanos >= 0) {
            long age = nowNanos - startNanos;
            nextSampleNanos = nowNanos + Math.min(INTERVAL.toNanos(), Math.max(FIRST_INTERVAL.toNanos(), age));
            sample(nowNanos);
        }
    }

    /** Takes the last sample, once the leader has been reaped and the tree stopped, and returns the totals. */
    public ResourceUsage finish(long nowNanos) {
        sample(nowNanos);
        return latest;
    }

    private void sample(long nowNanos) {
        Duration wall = Duration.ofNanos(nowNanos - startNanos);
        if (!available) {
            latest = ResourceUsage.withoutMemory(wall, handles.sample());
            return;
        }
        // The worker's children first: a leader reaped after this read is then missed once, never counted twice.
        long workerTicks = ProcStat.self().map(ProcStat::childrenTicks).orElse(workerChildTicksAtStart)
                - workerChildTicksAtStart;
        Set<Long> listed;
        try {
            listed = listPids();
        } catch (IOException e) {
            return; // keep the previous figures
        }
        seen.keySet().retainAll(listed);
        forgetEnded(listed);
        discover(listed);
        long liveTicks = 0;
        long rss = 0;
        for (Iterator<Map.Entry<Long, Member>> it = members.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Member> e = it.next();
            Optional<Member> now = read(e.getKey());
            if (now.isEmpty()) {
                ended(e.getValue());
                it.remove();
                continue;
            }
            e.setValue(now.get());
            liveTicks += now.get().stat().ownTicks() + now.get().stat().childrenTicks();
            rss += now.get().rssBytes();
            peakRss = Math.max(peakRss, now.get().hwmBytes());
        }
        peakRss = Math.max(peakRss, rss);
        members.replaceAll((pid, m) -> m.orphan(m.stat().ppid() != workerPid
                && !members.containsKey(m.stat().ppid())));
        long cpuTicks = workerTicks + liveTicks + orphanTicks;
        latest = new ResourceUsage(wall, Duration.ofNanos(cpuTicks * NANOS_PER_TICK), peakRss, true);
    }

    /** Members no longer listed: an orphan's last figures count, a waited-for one is in its parent's times. */
    private void forgetEnded(Set<Long> listed) {
        for (Iterator<Map.Entry<Long, Member>> it = members.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Member> e = it.next();
            if (!listed.contains(e.getKey())) {
                ended(e.getValue());
                it.remove();
            }
        }
    }

    private void ended(Member last) {
        if (last.orphan()) {
            orphanTicks += last.stat().ownTicks() + last.stat().childrenTicks();
        }
    }

    /** Classifies pids not seen before; a process outside the group joins when its parent is in the tree. */
    private void discover(Set<Long> listed) {
        Map<Long, ProcStat> outside = new HashMap<>();
        for (Long pid : listed) {
            if (seen.containsKey(pid)) {
                continue;
            }
            Optional<ProcStat> stat = ProcStat.of(pid);
            boolean inGroup = stat.isPresent() && (pid == pgid || stat.get().pgrp() == pgid);
            seen.put(pid, inGroup);
            if (inGroup) {
                members.put(pid, new Member(stat.get(), 0, 0, false));
            } else if (stat.isPresent()) {
                outside.put(pid, stat.get());
            }
        }
        boolean grew = !outside.isEmpty() && !members.isEmpty();
        while (grew) {
            grew = false;
            for (Iterator<Map.Entry<Long, ProcStat>> it = outside.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, ProcStat> e = it.next();
                if (members.containsKey(e.getValue().ppid())) {
                    seen.put(e.getKey(), true);
                    members.put(e.getKey(), new Member(e.getValue(), 0, 0, false));
                    it.remove();
                    grew = true;
                }
            }
        }
    }

    private static Optional<Member> read(long pid) {
        Optional<ProcStat> stat = ProcStat.of(pid);
        if (stat.isEmpty()) {
            return Optional.empty();
        }
        long[] memory = {0, 0};
        try {
            for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"),
                    StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("VmRSS:")) {
                    memory[0] = kibibytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    memory[1] = kibibytes(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // ended between the two reads
        }
        return Optional.of(new Member(stat.get(), memory[0], memory[1], false));
    }

    /** {@code VmRSS:	  123456 kB} → bytes. */
    private static long kibibytes(String line) {
        String number = line.substring(line.indexOf(':') + 1).replace("kB", "").strip();
        return Long.parseLong(number) * 1024;
    }

    private static Set<Long> listPids() throws IOException {
        Set<Long> pids = new HashSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                    pids.add(Long.parseLong(name));
                }
            }
        }
        return pids;
    }
}
