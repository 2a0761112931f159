package org.flamenco.worker.command.blender;

import java.util.Objects;

/** {@code blender_render_progressive} (commands.md §3.13): the render settings plus the Cycles chunk range. */
public record ProgressiveSettings(BlenderRenderSettings render, long numChunks, long startChunk, long endChunk) {
    public ProgressiveSettings {
        Objects.requireNonNull(render, "render");
    }
}
