package org.flamenco.worker.task;

/**
 * Which Manager a task came from, and so how its document and its reports look: the v2 task (commands with
 * {@code settings}, progress percentages, {@code Task completed}) or the Flamenco 3 task (protocol-v3.md §6:
 * commands with {@code parameters} and {@code total_step_count}, a running {@code steps_completed} count,
 * {@code Started}, {@code Completed}, and {@code Failed: <error>} as activity and log line).
 */
public enum TaskDialect {
    V2("settings", "", "Task completed", false),
    V3("parameters", "Started", "Completed", true);

    private final String settingsKey;
    private final String startActivity;
    private final String completedActivity;
    private final boolean countsSteps;

    TaskDialect(String settingsKey, String startActivity, String completedActivity, boolean countsSteps) {
        this.settingsKey = settingsKey;
        this.startActivity = startActivity;
        this.completedActivity = completedActivity;
        this.countsSteps = countsSteps;
    }

    /** The key of a command's settings in the task document ({@code settings} or {@code parameters}). */
    public String settingsKey() {
        return settingsKey;
    }

    /** The activity sent with the {@code active} status ({@code ""}: none). */
    String startActivity() {
        return startActivity;
    }

    String completedActivity() {
        return completedActivity;
    }

    /** Whether the task's {@code steps_completed} is counted (v3 only). */
    boolean countsSteps() {
        return countsSteps;
    }
}
