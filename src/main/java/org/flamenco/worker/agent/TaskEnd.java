package org.flamenco.worker.agent;

/** What the loop must do after a task ended: the pending stop (or null), and whether SIGUSR1 came meanwhile. */
record TaskEnd(PendingStop stop, boolean sleep) {
}
