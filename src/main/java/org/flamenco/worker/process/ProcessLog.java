package org.flamenco.worker.process;

/**
 * Where process control writes its task-log messages (e.g. {@code TERMinating subprocess pid=42}); the caller adds
 * its {@code <name>: } prefix. Called on the thread that controls the process.
 */
@FunctionalInterface
public interface ProcessLog {
    void line(String message) throws InterruptedException;
}
