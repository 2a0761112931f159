package org.flamenco.worker.command.blender;

import java.util.Objects;

/** {@code exr_sequence_to_jpeg} (commands.md §3.15): the glob of EXR files and the JPEG output pattern. */
public record ExrToJpegSettings(BlenderRenderSettings render, String exrGlob, String outputPattern) {
    public ExrToJpegSettings {
        Objects.requireNonNull(render, "render");
        Objects.requireNonNull(exrGlob, "exrGlob");
        Objects.requireNonNull(outputPattern, "outputPattern");
    }
}
