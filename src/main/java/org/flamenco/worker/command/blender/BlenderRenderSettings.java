package org.flamenco.worker.command.blender;

import java.util.List;
import java.util.Objects;

/**
 * The validated settings shared by the Blender render commands (commands.md §3.12, §4.1). Empty strings mean
 * "not given".
 *
 * @param blenderWords the words of {@code blender_cmd}
 * @param filepath     the blend file, as given
 * @param renderOutput {@code render_output}, or empty
 * @param frames       {@code frames}, or empty
 * @param format       {@code format}, or empty
 * @param pythonExpr   {@code python_expr}, or empty
 */
public record BlenderRenderSettings(List<String> blenderWords, String filepath, String renderOutput, String frames,
                                    String format, String pythonExpr) {
    public BlenderRenderSettings {
        blenderWords = List.copyOf(blenderWords);
        Objects.requireNonNull(filepath, "filepath");
        Objects.requireNonNull(renderOutput, "renderOutput");
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(pythonExpr, "pythonExpr");
    }
}
