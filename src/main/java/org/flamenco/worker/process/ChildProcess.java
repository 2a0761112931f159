package org.flamenco.worker.process;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A started child as returned by {@link ProcessLauncher}: with the POSIX launcher it leads its own process group
 * (pgid == pid); with the portable one its "group" is itself plus every descendant seen so far.
 *
 * <p>Contract: thread-safe. {@link #output()} is read by exactly one thread. Signalling methods never throw for a
 * group that is already gone.
 */
public interface ChildProcess {
    /** The leader's pid (with the POSIX launcher also the process-group id). */
    long pid();

    /** The merged stdout + stderr stream. */
    InputStream output();

    /** Waits up to {@code timeout} for the leader to exit; empty while it still runs. */
    Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException;

    /** True while any process is a member of the group (the leader included, zombies included). */
    boolean groupAlive();

    /** Sends {@code signal} (e.g. 15, 9) to every process of the group; a vanished group is ignored. */
    void signalGroup(int signal);

    /**
     * The live descendants of the leader found by walking the process tree (children that started their own group
     * included); empty once the leader is gone and reaped.
     */
    List<ProcessHandle> descendants();
}
