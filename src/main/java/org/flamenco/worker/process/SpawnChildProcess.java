package org.flamenco.worker.process;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import jnr.posix.POSIX;

/**
 * A child started by {@link SpawnProcessLauncher}: it leads its own process group (pgid == pid) from its first
 * instruction. A daemon thread {@code fw-reaper-<pid>} blocks in {@code waitpid(pid)} and completes the exit
 * status (the JDK's own reaper waits only for the {@link Process}es it started, so nobody else reaps this pid).
 * Group membership: {@code kill(-pgid, 0)}, then {@link GroupMembers} to leave out zombies. Thread-safe.
 */
final class SpawnChildProcess implements ChildProcess {
    private static final int EINTR = 4;
    private final long pid;
    private final InputStream output;
    private final POSIX posix;
    private final ReaperExit exit;

    SpawnChildProcess(long pid, InputStream output, POSIX posix) {
        this.pid = pid;
        this.output = output;
        this.posix = posix;
        this.exit = ReaperExit.start(pid, this::reap);
    }

    private ExitStatus reap() {
        int[] status = new int[1];
        while (true) {
            int r = posix.waitpid(pid, status, 0);
            if (r == pid) {
                return decode(status[0]);
            }
            if (r >= 0 || posix.errno() != EINTR) {
                // ECHILD: someone else reaped it (never expected); the status is unknown, the process is gone
                return new ExitStatus(-1, 0);
            }
        }
    }

    /** A {@code waitpid} status word: {@code WIFEXITED} → code, else the terminating signal. */
    static ExitStatus decode(int status) {
        int signal = status & 0x7f;
        return signal == 0 ? new ExitStatus((status >> 8) & 0xff, 0) : new ExitStatus(0, signal);
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public InputStream output() {
        return output;
    }

    @Override
    public Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException {
        return exit.await(timeout);
    }

    @Override
    public boolean groupAlive() {
        return !exit.isDone() || GroupMembers.anyLiving(posix, pid);
    }

    @Override
    public void signalGroup(int signal) {
        posix.kill(-pid, signal);
    }

    @Override
    public List<ProcessHandle> descendants() {
        if (exit.isDone()) {
            return List.of(); // reaped: the pid may already belong to another process
        }
        return ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants).filter(Liveness::isRunning)
                .collect(Collectors.toList());
    }
}
