package org.flamenco.worker.model;

/** Task statuses the worker sends (protocol-v2.md §4.6). The worker never sends {@code canceled}. */
public enum TaskStatus {
    ACTIVE("active"),
    COMPLETED("completed"),
    FAILED("failed");

    private final String wire;

    TaskStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** A final status ends the execution; the fetch loop waits until it is delivered (worker-behaviour.md §13.6). */
    public boolean isFinal() {
        return this != ACTIVE;
    }
}
