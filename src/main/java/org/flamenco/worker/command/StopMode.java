package org.flamenco.worker.command;

/** How a running command is stopped (commands.md §2.6). */
public enum StopMode {
    /** TERM to the process group, wait the kill grace, then KILL. */
    GRACEFUL,
    /** KILL at once, without grace (a second shutdown signal). */
    IMMEDIATE
}
