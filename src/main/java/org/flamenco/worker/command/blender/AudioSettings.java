package org.flamenco.worker.command.blender;

import java.util.Objects;
import java.util.OptionalLong;

/** {@code blender_render_audio} (commands.md §3.14): render settings (with {@code render_output}) and frame range. */
public record AudioSettings(BlenderRenderSettings render, OptionalLong frameStart, OptionalLong frameEnd) {
    public AudioSettings {
        Objects.requireNonNull(render, "render");
        Objects.requireNonNull(frameStart, "frameStart");
        Objects.requireNonNull(frameEnd, "frameEnd");
    }
}
