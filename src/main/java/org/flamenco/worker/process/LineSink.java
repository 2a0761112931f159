package org.flamenco.worker.process;

/** Receives output lines in order on the reader thread; blocking here pauses reading (back-pressure). */
@FunctionalInterface
public interface LineSink {
    void line(String line) throws InterruptedException;
}
