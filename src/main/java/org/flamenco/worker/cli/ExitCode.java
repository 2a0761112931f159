package org.flamenco.worker.cli;

/** Process exit codes (worker-behaviour.md §4.2). Only {@code cli} chooses them. */
public final class ExitCode {
    public static final int OK = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int USAGE = 2;
    public static final int REGISTRATION_REFUSED = 3;
    public static final int NO_MANAGER_FOUND = 4;
    public static final int QUEUE_UNUSABLE = 5;
    /** Forced exit after a second signal N is {@code SIGNAL_BASE + N} (130 for SIGINT, 143 for SIGTERM). */
    public static final int SIGNAL_BASE = 128;

    private ExitCode() {
    }
}
