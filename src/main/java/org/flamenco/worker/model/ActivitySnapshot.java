package org.flamenco.worker.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The complete activity snapshot every non-silent update carries (protocol-v2.md §4.6).
 *
 * @param taskStatus     the status set for this execution so far, or {@code null} before any status was set
 * @param timing         aggregated timing per name, in insertion order; empty means "no metrics field"
 * @param stepsCompleted Flamenco 3's running step count of the task (protocol-v3.md §6: absolute, never
 *                       decreasing); always 0 for a v2 task, and the v2 wire ignores it
 */
public record ActivitySnapshot(TaskStatus taskStatus, String activity, int currentCommandIdx,
                               int taskProgressPercentage, int commandProgressPercentage,
                               Map<String, Double> timing, int stepsCompleted) {
    public ActivitySnapshot {
        activity = Objects.requireNonNullElse(activity, "");
        timing = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(timing, "timing")));
    }

    /** A snapshot without a step count (v2). */
    public ActivitySnapshot(TaskStatus taskStatus, String activity, int currentCommandIdx,
                            int taskProgressPercentage, int commandProgressPercentage, Map<String, Double> timing) {
        this(taskStatus, activity, currentCommandIdx, taskProgressPercentage, commandProgressPercentage, timing, 0);
    }

    /** The fresh snapshot of a new execution (worker-behaviour.md §8.1 step 1). */
    public static ActivitySnapshot initial() {
        return new ActivitySnapshot(null, "", 0, 0, 0, Map.of(), 0);
    }

    /** This snapshot with another step count. */
    public ActivitySnapshot withStepsCompleted(int steps) {
        return new ActivitySnapshot(taskStatus, activity, currentCommandIdx, taskProgressPercentage,
                commandProgressPercentage, timing, steps);
    }
}
