package org.flamenco.worker.task;

/**
 * The task document itself is malformed (worker-behaviour.md §8.1 step 4); the message follows {@code Invalid task: }.
 */
final class InvalidTaskException extends Exception {
    InvalidTaskException(String message) {
        super(message);
    }
}
