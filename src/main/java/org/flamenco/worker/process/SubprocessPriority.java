package org.flamenco.worker.process;

import java.util.OptionalInt;

/**
 * How the kernel should treat every subprocess (worker-behaviour.md §2.3 {@code oom_score_adjust},
 * {@code subprocess_nice}): applied by the launcher before the program runs, so everything the program starts
 * inherits it too.
 *
 * @param oomScoreAdjust the {@code oom_score_adj} to set, 0–1000; empty leaves the inherited value
 * @param nice           the niceness to run at, 0–19; 0 leaves the inherited value
 */
public record SubprocessPriority(OptionalInt oomScoreAdjust, int nice) {
    /** Leave both as the worker has them. */
    public static final SubprocessPriority INHERITED = new SubprocessPriority(OptionalInt.empty(), 0);

    public SubprocessPriority {
        if (oomScoreAdjust.isPresent() && (oomScoreAdjust.getAsInt() < 0 || oomScoreAdjust.getAsInt() > 1000)) {
            throw new IllegalArgumentException("oom_score_adj must be 0-1000, got " + oomScoreAdjust.getAsInt());
        }
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("nice must be 0-19, got " + nice);
        }
    }
}
