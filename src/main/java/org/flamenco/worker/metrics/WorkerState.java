package org.flamenco.worker.metrics;

import java.util.Locale;

/** The worker's state as monitoring shows it: the worker loop's states plus the start-up before it runs. */
public enum WorkerState {
    STARTING,
    AWAKE,
    ASLEEP,
    ERROR,
    SHUTTING_DOWN;

    /** The label value: {@code awake}, {@code shutting_down}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
