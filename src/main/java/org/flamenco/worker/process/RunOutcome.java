package org.flamenco.worker.process;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a supervised run ended.
 *
 * @param exitStatus the leader's exit status (empty only when it could not be learned, e.g. it survived KILL)
 * @param ending     why the run ended
 * @param killSent   true when this worker sent SIGKILL to the group (so a SIGKILL death is ours)
 * @param survivors  pids still alive after the final verification
 * @param usage      what the process tree used, measured to its end
 */
public record RunOutcome(Optional<ExitStatus> exitStatus, Ending ending, boolean killSent, List<Long> survivors,
                         ResourceUsage usage) {
    /** Why the run ended. */
    public enum Ending {
        /** The leader exited by itself and the output was read to its end. */
        EXITED,
        /** No line for the inactivity timeout: the tree was stopped. */
        INACTIVITY_TIMEOUT,
        /** The controlling thread was interrupted (task stop): the tree was stopped. */
        STOPPED
    }

    public RunOutcome {
        Objects.requireNonNull(exitStatus, "exitStatus");
        Objects.requireNonNull(ending, "ending");
        survivors = List.copyOf(survivors);
        Objects.requireNonNull(usage, "usage");
    }
}
