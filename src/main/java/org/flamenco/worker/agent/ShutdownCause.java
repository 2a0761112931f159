package org.flamenco.worker.agent;

/** Why the worker itself asks the daemon for a clean shutdown (worker-behaviour.md §16 triggers). */
public enum ShutdownCause {
    MANAGER_REQUESTED("the Manager requested shutdown"),
    /** v3 {@code restart}: a clean shutdown; the daemon decides the exit code. */
    RESTART_REQUESTED("the Manager requested a restart"),
    SINGLE_TASK_DONE("single-task mode: the task has ended"),
    REGISTRATION_REFUSED("the Manager refused re-registration");

    private final String description;

    ShutdownCause(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
