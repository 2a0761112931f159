package org.flamenco.worker.worker;

/** Command-line modes that change the loop: {@code --single} and {@code --test} (worker-behaviour.md §11). */
public record WorkerMode(boolean singleTask, boolean testMode) {
}
