package org.flamenco.worker.process;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * A process group this worker did not start (a leftover of an earlier run): it can be signalled, not read. Its
 * leader may have exited already (a child killed by SIGPIPE when the worker that read its output died), leaving
 * the rest of the group running.
 */
final class ForeignGroup implements ChildProcess {
    private final long pgid;
    private final Optional<ProcessHandle> leader;
    private final POSIX posix = POSIXFactory.getNativePOSIX();

    ForeignGroup(ProcessHandle leader) {
        this.pgid = leader.pid();
        this.leader = Optional.of(leader);
    }

    private ForeignGroup(long pgid) {
        this.pgid = pgid;
        this.leader = Optional.empty();
    }

    /** The group {@code pgid} whose leader is gone. */
    static ForeignGroup withoutLeader(long pgid) {
        return new ForeignGroup(pgid);
    }

    boolean leadsItsGroup() {
        return posix.getpgid((int) pgid) == pgid;
    }

    @Override
    public long pid() {
        return pgid;
    }

    @Override
    public InputStream output() {
        return InputStream.nullInputStream();
    }

    @Override
    public Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException {
        if (leader.isEmpty()) {
            return Optional.empty(); // nothing to wait for; the group is watched through groupAlive()
        }
        try {
            leader.get().onExit().get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            return Optional.empty(); // not our child: its status cannot be learned
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean groupAlive() {
        return PosixChildProcess.groupAlive(posix, pgid);
    }

    @Override
    public void signalGroup(int signal) {
        posix.kill(-pgid, signal);
    }

    /** The leader's descendants; without a leader, the group's members and theirs (some may have left the group). */
    @Override
    public List<ProcessHandle> descendants() {
        if (leader.isPresent()) {
            return leader.get().descendants().filter(Liveness::isRunning).collect(Collectors.toList());
        }
        List<ProcessHandle> found = new ArrayList<>();
        try {
            for (ProcTable.Entry member : ProcTable.groupMembers(pgid)) {
                ProcessHandle.of(member.pid()).ifPresent(h -> {
                    found.add(h);
                    h.descendants().forEach(found::add);
                });
            }
        } catch (IOException e) {
            return List.of(); // the group is still signalled as a whole
        }
        return found.stream().filter(Liveness::isRunning).distinct().collect(Collectors.toList());
    }
}
