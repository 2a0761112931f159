package org.flamenco.worker.command.blender;

import java.util.List;
import java.util.Objects;

/**
 * {@code merge_progressive_renders} (commands.md §3.16); the paths are absolute with forward slashes.
 */
public record MergeSettings(List<String> blenderWords, String input1, String input2, String output, long weight1,
                            long weight2) {
    public MergeSettings {
        blenderWords = List.copyOf(blenderWords);
        Objects.requireNonNull(input1, "input1");
        Objects.requireNonNull(input2, "input2");
        Objects.requireNonNull(output, "output");
    }
}
