package org.flamenco.worker.process;

/** Receives output lines in order on the reader thread; blocking here pauses reading (back-pressure). */
@FunctionalInterface
public interface LineSink {
    void line(String line) throws InterruptedException;

    /**
     * The lines delivered since the last call were all the output available at once (one read of the pipe); the
     * reader may now wait for more. A sink that holds lines to handle them together must let them go here. Also
     * called once when the output has ended, however it ended.
     */
    default void endOfBurst() throws InterruptedException {
    }
}
