package org.flamenco.worker.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.clock.DurationText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a child's whole process tree (commands.md §2.6): TERM to the group, wait the grace for every member, KILL
 * the group, then verify for up to 2 s, killing descendants that left the group too. An interrupt during the grace
 * skips the rest of it (a second stop request means "at once"); the interrupt flag is restored afterwards.
 */
public final class ProcessTreeStopper {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessTreeStopper.class);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration VERIFY = Duration.ofSeconds(2);

    private final Clock clock;
    private final Duration grace;

    public ProcessTreeStopper(Clock clock, Duration grace) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.grace = Objects.requireNonNull(grace, "grace");
    }

    /**
     * Stops {@code child}'s tree; returns when nothing is left or the verification gave up.
     *
     * @param immediate KILL at once, without TERM and grace
     */
    public StopResult stop(ChildProcess child, ProcessLog log, boolean immediate) throws InterruptedException {
        long pid = child.pid();
        boolean pending = Thread.interrupted(); // an earlier request: restored at the end, not an escalation
        boolean interrupted = false;
        Map<Long, ProcessHandle> tree = new LinkedHashMap<>();
        remember(tree, child);
        boolean leaderWasRunning = child.waitFor(Duration.ZERO).isEmpty();
        boolean killSent = false;
        try {
            if (immediate) {
                LOG.warn("KILLing subprocess pid={} without grace", pid);
                log.line("KILLing subprocess pid=" + pid);
                killSent = kill(child, tree);
            } else {
                LOG.warn("TERMinating subprocess pid={}", pid);
                log.line("TERMinating subprocess pid=" + pid);
                child.signalGroup(ExitStatus.SIGTERM);
                interrupted = awaitGroupGone(child, tree, grace);
                if (child.groupAlive() || anyAlive(tree)) {
                    String seconds = DurationText.seconds(grace);
                    LOG.warn("Process pid={} did not stop in {} seconds, going to KILL it", pid, seconds);
                    log.line("Process pid=" + pid + " did not stop in " + seconds + " seconds, going to KILL it");
                    killSent = kill(child, tree);
                }
            }
            boolean[] interruptedDuringVerify = {false};
            List<Long> survivors = verify(child, tree, interruptedDuringVerify);
            interrupted |= interruptedDuringVerify[0];
            Optional<ExitStatus> status = child.waitFor(Duration.ZERO);
            if (leaderWasRunning && status.isPresent()) {
                log.line("Process pid=" + pid + " " + status.get().describe());
            }
            if (!survivors.isEmpty()) {
                LOG.error("Processes still running after KILL: {}", survivors);
                log.line("processes still running after KILL: " + survivors);
            }
            return new StopResult(status, killSent, survivors);
        } finally {
            if (pending || interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until the group and the known descendants are gone; returns true when interrupted meanwhile. */
    private boolean awaitGroupGone(ChildProcess child, Map<Long, ProcessHandle> tree, Duration limit) {
        long deadline = clock.nanoTime() + limit.toNanos();
        while (child.groupAlive() || anyAlive(tree)) {
            remember(tree, child);
            if (clock.nanoTime() >= deadline) {
                return false;
            }
            try {
                clock.sleep(POLL);
            } catch (InterruptedException e) {
                return true;
            }
        }
        return false;
    }

    private static boolean kill(ChildProcess child, Map<Long, ProcessHandle> tree) {
        remember(tree, child);
        child.signalGroup(ExitStatus.SIGKILL);
        tree.values().forEach(ProcessHandle::destroyForcibly);
        return true;
    }

    /** Kills until nothing is left or 2 s passed; an interrupt does not cut it short (it is reported back). */
    private List<Long> verify(ChildProcess child, Map<Long, ProcessHandle> tree, boolean[] interrupted) {
        long deadline = clock.nanoTime() + VERIFY.toNanos();
        while (true) {
            remember(tree, child);
            boolean groupAlive = child.groupAlive();
            List<Long> alive = new ArrayList<>();
            tree.values().stream().filter(Liveness::isRunning).forEach(h -> alive.add(h.pid()));
            if (!groupAlive && alive.isEmpty()) {
                try {
                    child.waitFor(Duration.ofMillis(200)); // let the JVM reap the leader so its status is known
                } catch (InterruptedException e) {
                    interrupted[0] = true;
                }
                return List.of();
            }
            if (clock.nanoTime() >= deadline) {
                if (groupAlive && !alive.contains(child.pid())) {
                    alive.add(0, child.pid());
                }
                return alive;
            }
            child.signalGroup(ExitStatus.SIGKILL);
            tree.values().stream().filter(Liveness::isRunning).forEach(ProcessHandle::destroyForcibly);
            try {
                clock.sleep(POLL);
            } catch (InterruptedException e) {
                interrupted[0] = true;
            }
        }
    }

    private static void remember(Map<Long, ProcessHandle> tree, ChildProcess child) {
        for (ProcessHandle h : child.descendants()) {
            tree.putIfAbsent(h.pid(), h);
        }
    }

    private static boolean anyAlive(Map<Long, ProcessHandle> tree) {
        return tree.values().stream().anyMatch(Liveness::isRunning);
    }
}
