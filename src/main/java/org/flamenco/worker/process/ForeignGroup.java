package org.flamenco.worker.process;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** A process group this worker did not start (a leftover of an earlier run): it can be signalled, not read. */
final class ForeignGroup implements ChildProcess {
    private final ProcessHandle leader;
    private final POSIX posix = POSIXFactory.getNativePOSIX();

    ForeignGroup(ProcessHandle leader) {
        this.leader = leader;
    }

    boolean leadsItsGroup() {
        return posix.getpgid((int) leader.pid()) == leader.pid();
    }

    @Override
    public long pid() {
        return leader.pid();
    }

    @Override
    public InputStream output() {
        return InputStream.nullInputStream();
    }

    @Override
    public Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException {
        try {
            leader.onExit().get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            return Optional.empty(); // not our child: its status cannot be learned
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean groupAlive() {
        return PosixChildProcess.groupAlive(posix, leader.pid());
    }

    @Override
    public void signalGroup(int signal) {
        posix.kill(-leader.pid(), signal);
    }

    @Override
    public List<ProcessHandle> descendants() {
        return leader.descendants().filter(Liveness::isRunning).collect(Collectors.toList());
    }
}
