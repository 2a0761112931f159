package org.flamenco.worker.task;

import java.util.Map;

import org.flamenco.worker.command.Command;

/**
 * One command of a task, with its index and settings as decoded at the wire.
 *
 * @param totalStepCount Flamenco 3's {@code total_step_count} (0 for a v2 task or a command without own steps)
 */
record TaskCommand(int index, Command command, Map<String, Object> settings, String taskId, int totalStepCount) {
    TaskCommand(int index, Command command, Map<String, Object> settings, String taskId) {
        this(index, command, settings, taskId, 0);
    }

    String name() {
        return command.name();
    }

    /** {@code <name>.(task_id=<id>, command_idx=<i>)} (commands.md §1.1). */
    String identifier() {
        return command.name() + ".(task_id=" + taskId + ", command_idx=" + index + ")";
    }
}
