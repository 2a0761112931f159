package org.flamenco.worker.process;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The subprocess run the worker is supervising right now, so that another thread (the monitoring) can read what its
 * tree has used so far without reaching into the task. Thread-safe; reading costs one volatile read (the figures come
 * from the run's latest sample, see {@link ProcessRun#usage()}).
 */
public final class RunningTree {
    private final AtomicReference<ProcessRun> current = new AtomicReference<>();

    /** {@code run} is now the one being supervised. */
    public void started(ProcessRun run) {
        current.set(run);
    }

    /** {@code run} ended; a newer run that already started is kept. */
    public void ended(ProcessRun run) {
        current.compareAndSet(run, null);
    }

    /** What the running subprocess tree used so far; empty when none runs. */
    public Optional<ResourceUsage> usage() {
        ProcessRun run = current.get();
        return run == null ? Optional.empty() : Optional.of(run.usage());
    }
}
