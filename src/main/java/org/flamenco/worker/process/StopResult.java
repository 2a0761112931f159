package org.flamenco.worker.process;

import java.util.List;
import java.util.Optional;

/**
 * What stopping a process tree did.
 *
 * @param leaderStatus how the group leader ended, when it is known
 * @param killSent     true when SIGKILL was sent (after the grace, or at once)
 * @param survivors    pids still alive after the verification
 */
public record StopResult(Optional<ExitStatus> leaderStatus, boolean killSent, List<Long> survivors) {
    public StopResult {
        survivors = List.copyOf(survivors);
    }
}
