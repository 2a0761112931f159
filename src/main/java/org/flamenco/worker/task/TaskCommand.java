package org.flamenco.worker.task;

import java.util.Map;

import org.flamenco.worker.command.Command;

/** One command of a task, with its index and raw settings (the task document is never modified). */
record TaskCommand(int index, Command command, Map<?, ?> settings, String taskId) {
    String name() {
        return command.name();
    }

    /** {@code <name>.(task_id=<id>, command_idx=<i>)} (commands.md §1.1). */
    String identifier() {
        return command.name() + ".(task_id=" + taskId + ", command_idx=" + index + ")";
    }
}
