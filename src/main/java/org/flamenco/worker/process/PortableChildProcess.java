package org.flamenco.worker.process;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child started by {@link PortableProcessLauncher}, or a leftover of an earlier run, watched through
 * {@link ProcessHandle} only. Its "group" is the leader plus every descendant ever seen: each call snapshots the
 * descendants of the leader and of every known living member, so a grandchild re-parented when its parent exited
 * (to init, or to nothing on Windows) is still known. Signals go leaves first: TERM is {@link ProcessHandle#destroy}
 * (SIGTERM on POSIX, TerminateProcess on Windows), KILL is {@link ProcessHandle#destroyForcibly}. A remembered
 * handle whose pid was reused is not alive for the JDK (it compares the start time), so it is never signalled.
 * Thread-safe: the bookkeeping is synchronized.
 */
final class PortableChildProcess implements ChildProcess {
    private final Optional<Process> process;
    private final ProcessHandle leader;
    /** Every process seen in the tree, with its depth below the leader (the leader is 0). */
    private final Map<ProcessHandle, Integer> known = new LinkedHashMap<>();

    PortableChildProcess(Process process) {
        this.process = Optional.of(process);
        this.leader = process.toHandle();
        known.put(leader, 0);
    }

    /** A leftover tree of an earlier run: it can be signalled and watched, not read or waited for. */
    PortableChildProcess(ProcessHandle leftover) {
        this.process = Optional.empty();
        this.leader = leftover;
        known.put(leader, 0);
        snapshot();
    }

    @Override
    public long pid() {
        return leader.pid();
    }

    @Override
    public InputStream output() {
        return process.map(Process::getInputStream).orElseGet(InputStream::nullInputStream);
    }

    @Override
    public Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException {
        snapshot();
        if (process.isEmpty()) {
            try {
                leader.onExit().get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // still running, or gone in a way that does not matter here
            }
            return Optional.empty(); // not our child: its status cannot be learned
        }
        Process p = process.get();
        if (p.waitFor(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
            return Optional.of(ExitStatus.fromJvmExitValue(p.exitValue()));
        }
        return Optional.empty();
    }

    @Override
    public boolean groupAlive() {
        return !living(true).isEmpty();
    }

    @Override
    public void signalGroup(int signal) {
        boolean kill = signal == ExitStatus.SIGKILL;
        if (!kill && signal != ExitStatus.SIGTERM) {
            return; // only TERM and KILL have a portable form
        }
        for (ProcessHandle h : living(true)) {
            if (h.equals(leader) && process.isPresent()) {
                if (kill) {
                    process.get().destroyForcibly();
                } else {
                    process.get().destroy();
                }
            } else if (kill) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        }
    }

    @Override
    public List<ProcessHandle> descendants() {
        return living(false);
    }

    /** The living members, deepest first; {@code withLeader} includes the leader (last). */
    private synchronized List<ProcessHandle> living(boolean withLeader) {
        snapshot();
        List<Map.Entry<ProcessHandle, Integer>> entries = new ArrayList<>(known.entrySet());
        entries.sort(Map.Entry.<ProcessHandle, Integer>comparingByValue(Comparator.reverseOrder()));
        List<ProcessHandle> alive = new ArrayList<>();
        for (Map.Entry<ProcessHandle, Integer> e : entries) {
            if ((withLeader || !e.getKey().equals(leader)) && Liveness.isRunning(e.getKey())) {
                alive.add(e.getKey());
            }
        }
        return alive;
    }

    /**
     * Adds the descendants of the leader and of every known member no longer below it (re-parented), each new one
     * one level below its parent; forgets members that ended. One process-table walk per such root, usually one.
     */
    private synchronized void snapshot() {
        known.keySet().removeIf(h -> !h.equals(leader) && !h.isAlive());
        Set<ProcessHandle> covered = new HashSet<>();
        for (ProcessHandle root : new ArrayList<>(known.keySet())) {
            if (covered.contains(root) || !root.isAlive()) {
                continue;
            }
            covered.add(root);
            root.descendants().forEach(d -> { // breadth first: a parent comes before its children
                covered.add(d);
                if (!known.containsKey(d)) {
                    int depth = d.parent().map(known::get).orElse(known.get(root));
                    known.put(d, depth + 1);
                }
            });
        }
    }
}
