package org.flamenco.worker.process;

/** Told how a supervised process's leader exited, on the controlling thread. */
@FunctionalInterface
public interface ExitListener {
    void exited(ExitStatus status) throws InterruptedException;
}
