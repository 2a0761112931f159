package org.flamenco.worker.process;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jnr.posix.POSIX;

/** A child started through {@code setsid}: pid == pgid. Group membership is read from {@code /proc} when present. */
final class PosixChildProcess implements ChildProcess {
    private final Process process;
    private final POSIX posix;
    private final long pid;

    PosixChildProcess(Process process, POSIX posix) {
        this.process = process;
        this.posix = posix;
        this.pid = process.pid();
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public InputStream output() {
        return process.getInputStream();
    }

    @Override
    public Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException {
        if (process.waitFor(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
            return Optional.of(ExitStatus.fromJvmExitValue(process.exitValue()));
        }
        return Optional.empty();
    }

    @Override
    public boolean groupAlive() {
        // Right after start, setsid(2) may not have run yet: the leader is then still in the worker's group.
        return process.isAlive() || groupAlive(posix, pid);
    }

    /** True while a living (non-zombie) process has group id {@code pgid}. */
    static boolean groupAlive(POSIX posix, long pgid) {
        if (posix.kill(-pgid, 0) != 0) {
            return false; // ESRCH: no process has this group id any more
        }
        // kill(2) also reaches zombies nobody has reaped yet; they hold no resources, so only living members count.
        return !ProcTable.available() || livingGroupMembers(pgid);
    }

    private static boolean livingGroupMembers(long pgid) {
        try {
            return !ProcTable.groupMembers(pgid).isEmpty();
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void signalGroup(int signal) {
        posix.kill(-pid, signal);
        if (process.isAlive()) {
            // Before setsid(2) has run the group does not exist yet; the leader has no children then either.
            posix.kill(pid, signal);
        }
    }

    @Override
    public List<ProcessHandle> descendants() {
        return process.toHandle().descendants().filter(Liveness::isRunning).collect(Collectors.toList());
    }
}
