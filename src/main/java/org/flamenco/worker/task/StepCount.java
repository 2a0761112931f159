package org.flamenco.worker.task;

/**
 * A Flamenco 3 task's running step count (protocol-v3.md §6): each command owns max(1, {@code total_step_count})
 * steps; a command with steps of its own ({@code total_step_count} > 0) counts them as it reports them, never
 * beyond its share; when a command finishes, the count jumps to the end of its share (so a command with 0 counts
 * one step when it finishes). Used by the task thread and one output reader at a time: synchronized.
 */
final class StepCount {
    private final Execution execution;
    private int base;
    private int share;
    private int running;

    StepCount(Execution execution) {
        this.execution = execution;
    }

    /** The next command begins; {@code totalStepCount} as sent by the Manager. */
    synchronized void commandStarted(int totalStepCount) {
        share = totalStepCount;
        running = base;
    }

    /** The running command reports one step done. */
    synchronized void stepCompleted() {
        if (share > 0 && running < base + share) {
            running++;
            execution.stepsCompleted(running);
        }
    }

    /** The running command succeeded: the count moves to the end of its share. */
    synchronized void commandFinished() {
        base += Math.max(1, share);
        running = base;
        execution.stepsCompleted(running);
    }
}
