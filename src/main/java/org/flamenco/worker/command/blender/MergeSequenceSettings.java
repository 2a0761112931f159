package org.flamenco.worker.command.blender;

import java.util.Objects;

/** {@code merge_progressive_render_sequence} (commands.md §3.17): the merge settings plus the frame range. */
public record MergeSequenceSettings(MergeSettings merge, long frameStart, long frameEnd) {
    public MergeSequenceSettings {
        Objects.requireNonNull(merge, "merge");
    }

    public long frameCount() {
        return frameEnd - frameStart + 1;
    }
}
