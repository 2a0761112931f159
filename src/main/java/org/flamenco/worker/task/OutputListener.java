package org.flamenco.worker.task;

import java.nio.file.Path;

/** Receives the files a task's commands produced (for output-produced notices); must not block. */
@FunctionalInterface
public interface OutputListener {
    void outputProduced(String taskId, Path file);
}
