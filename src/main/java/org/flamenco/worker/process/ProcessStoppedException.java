package org.flamenco.worker.process;

import java.util.Objects;

/** The controlling thread was interrupted during a run; the process tree has been stopped. */
public final class ProcessStoppedException extends InterruptedException {
    private final transient RunOutcome outcome;

    public ProcessStoppedException(RunOutcome outcome) {
        super("process tree stopped on request");
        this.outcome = Objects.requireNonNull(outcome, "outcome");
    }

    public RunOutcome outcome() {
        return outcome;
    }
}
