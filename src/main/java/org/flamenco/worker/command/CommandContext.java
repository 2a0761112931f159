package org.flamenco.worker.command;

import java.util.Objects;

/**
 * What a running command gets (PLACEHOLDER: the process/command issue adds the subprocess runner and clock).
 *
 * @param name       the wire name, used as the {@code <name>: } log prefix
 * @param identifier {@code <name>.(task_id=<id>, command_idx=<i>)}
 */
public record CommandContext(String name, String identifier, CommandReporter reporter) {
    public CommandContext {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(reporter, "reporter");
    }
}
