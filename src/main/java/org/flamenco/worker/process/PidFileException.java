package org.flamenco.worker.process;

/** The PID file forbids starting a subprocess, or another process won the race for it (commands.md §2.8). */
public final class PidFileException extends Exception {
    public PidFileException(String message) {
        super(message);
    }
}
