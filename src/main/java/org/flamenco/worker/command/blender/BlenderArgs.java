package org.flamenco.worker.command.blender;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Blender argument lists of commands.md §3.12–§3.17, as pure functions of the settings records. The
 * override-file lookup and the helper-script path are inputs, so these functions touch no file system.
 */
public final class BlenderArgs {
    private BlenderArgs() {
    }

    /**
     * §3.12: {@code <words> --enable-autoexec -noaudio --background <filepath> [override] [--python-expr e]
     * [--render-output o] [--render-format F] [--render-frame frames]}.
     *
     * @param overrideScript the override file (§4.2) with forward slashes, when it exists
     */
    public static List<String> render(BlenderRenderSettings s, Optional<String> overrideScript) {
        List<String> args = new ArrayList<>(s.blenderWords());
        args.addAll(List.of("--enable-autoexec", "-noaudio", "--background", s.filepath()));
        overrideScript.ifPresent(p -> args.addAll(List.of("--python-exit-code", "42", "--python", p)));
        addIfSet(args, "--python-expr", s.pythonExpr());
        addIfSet(args, "--render-output", s.renderOutput());
        addIfSet(args, "--render-format", blenderFormat(s.format()));
        addIfSet(args, "--render-frame", s.frames());
        return List.copyOf(args);
    }

    /** §3.13: the render list, then {@code -- --cycles-resumable-num-chunks N …start-chunk S …end-chunk E}. */
    public static List<String> progressive(ProgressiveSettings s, Optional<String> overrideScript) {
        List<String> args = new ArrayList<>(render(s.render(), overrideScript));
        args.addAll(List.of("--",
                "--cycles-resumable-num-chunks", Long.toString(s.numChunks()),
                "--cycles-resumable-start-chunk", Long.toString(s.startChunk()),
                "--cycles-resumable-end-chunk", Long.toString(s.endChunk())));
        return List.copyOf(args);
    }

    /** §3.14: {@code <words> --enable-autoexec -noaudio --background <filepath> --python-exit-code 47 …}. */
    public static List<String> audio(AudioSettings s) {
        List<String> args = new ArrayList<>(s.render().blenderWords());
        args.addAll(List.of("--enable-autoexec", "-noaudio", "--background", s.render().filepath(),
                "--python-exit-code", "47", "--python-expr", BlenderScripts.audioMixdown(s)));
        return List.copyOf(args);
    }

    /** §3.15: the render list, then the helper script and its arguments after {@code --}. */
    public static List<String> exrToJpeg(ExrToJpegSettings s, Optional<String> overrideScript, String helperScript) {
        List<String> args = new ArrayList<>(render(s.render(), overrideScript));
        args.addAll(List.of("--python-exit-code", "32", "--python", helperScript,
                "--", "--exr-glob", s.exrGlob(), "--output-pattern", s.outputPattern()));
        return List.copyOf(args);
    }

    /** §3.16/§3.17: {@code <words> --factory-startup --enable-autoexec -noaudio --background … --python-expr s}. */
    public static List<String> merge(List<String> blenderWords, String script) {
        List<String> args = new ArrayList<>(blenderWords);
        args.addAll(List.of("--factory-startup", "--enable-autoexec", "-noaudio", "--background",
                "--python-exit-code", "47", "--python-expr", script));
        return List.copyOf(args);
    }

    /** §4.2: {@code filepath} up to its last {@code .blend} (any case), plus {@code -overrides.py}. */
    public static String overridePath(String filepath) {
        int dot = filepath.toLowerCase(Locale.ROOT).lastIndexOf(".blend");
        String stem = dot < 0 ? filepath : filepath.substring(0, dot);
        return stem + "-overrides.py";
    }

    /** {@code OPEN_EXR} → {@code EXR}, {@code OPEN_EXR_MULTILAYER} → {@code MULTILAYER}, others unchanged. */
    static String blenderFormat(String format) {
        return switch (format) {
            case "OPEN_EXR" -> "EXR";
            case "OPEN_EXR_MULTILAYER" -> "MULTILAYER";
            default -> format;
        };
    }

    private static void addIfSet(List<String> args, String flag, String value) {
        if (!value.isEmpty()) {
            args.add(flag);
            args.add(value);
        }
    }
}
