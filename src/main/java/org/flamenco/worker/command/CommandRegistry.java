package org.flamenco.worker.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every command the worker accepts, by wire name (commands.md §3). */
public final class CommandRegistry {
    private final Map<String, Command> byName;

    public CommandRegistry(List<Command> commands) {
        Map<String, Command> map = new LinkedHashMap<>();
        for (Command c : commands) {
            if (map.putIfAbsent(c.name(), c) != null) {
                throw new IllegalArgumentException("command registered twice: " + c.name());
            }
        }
        this.byName = Map.copyOf(map);
    }

    public Optional<Command> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }
}
