package org.flamenco.worker.model;

import java.util.Objects;

/**
 * The first thing that makes a task's {@code commands} unusable, found while decoding it (worker-behaviour.md §8.1
 * step 4). Each reader words it for its audience: the task runner fails the task with it, {@code exec-task} refuses
 * the document.
 *
 * @param kind  what is wrong
 * @param index the 0-based index of the offending command (0 for {@link Kind#NOT_A_LIST})
 * @param name  the command's name when it has one ({@link Kind#BAD_SETTINGS}, {@link Kind#BAD_STEP_COUNT}),
 *              else {@code ""}
 * @param value the offending JSON value as plain Java values (may be {@code null}), for the message
 */
public record CommandsProblem(Kind kind, int index, String name, Object value) {
    /** What is wrong, in the order the decoder checks each command. */
    public enum Kind {
        /** {@code commands} is absent or not a list. */
        NOT_A_LIST,
        /** An element of the list is not an object. */
        NOT_AN_OBJECT,
        /** A command has no non-empty {@code name} string. */
        NO_NAME,
        /** A command's {@code settings} (v2) / {@code parameters} (v3) is not an object. */
        BAD_SETTINGS,
        /** A Flamenco 3 command's {@code total_step_count} is not an integer in {@code 0..2^31-1}. */
        BAD_STEP_COUNT
    }

    public CommandsProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }
}
