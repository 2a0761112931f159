package org.flamenco.worker.embedded;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The demo job for the embedded Manager: a render task that really writes small PPM images with a progress line
 * per frame (plain {@code exec} of {@code sh -c} with {@code printf}, no Blender needed), a file task that
 * publishes frames with {@code copy_file} and {@code move_with_counter}, and optionally a video task
 * ({@code create_video}) when FFmpeg is available. Wire names and settings follow commands.md §3.
 */
public final class SampleJobs {
    public static final String JOB_NAME = "flamenco-worker demo";
    public static final String RENDER_TASK = "render-frames";
    public static final String FILES_TASK = "publish-frames";
    public static final String VIDEO_TASK = "encode-video";

    /** Width and height of a rendered frame (even, so FFmpeg needs no padding). */
    static final int WIDTH = 32;
    static final int HEIGHT = 24;

    /*
     * The script runs as: sh -c SCRIPT demo-render OUT FRAMES DELAY. It contains no single quote, so it can be
     * single-quoted whole in the exec command string (commands.md §2.2).
     */
    private static final String RENDER_SCRIPT = renderScript(
            "echo \"Rendered frame $i of $n ($((i * 100 / n))%): $f\"");
    /**
     * The same, printing what Blender prints after saving a frame (Flamenco 3 counts these lines as steps); run from
     * an argument list, so its single quotes are fine.
     */
    private static final String V3_RENDER_SCRIPT = renderScript(
            "echo \"Saved: '$f'\"; echo \" Time: 00:00.01 (Saving: 00:00.00)\"");

    private static String renderScript(String frameDoneLine) {
        return String.join("; ",
            "out=\"$1\"", "n=\"$2\"", "delay=\"$3\"",
            "mkdir -p \"$out\" || exit 1",
            "i=1",
            "while [ \"$i\" -le \"$n\" ]",
            "do f=$(printf \"%s/frame-%04d.ppm\" \"$out\" \"$i\")",
            "{ printf \"P3\\n" + WIDTH + " " + HEIGHT + "\\n255\\n\"; y=0; while [ $y -lt " + HEIGHT
                    + " ]; do x=0; while [ $x -lt " + WIDTH + " ]; do printf \"%d %d %d\\n\" $((x * 8)) "
                    + "$((y * 10)) $((i * 40 % 256)); x=$((x + 1)); done; y=$((y + 1)); done; } > \"$f\" || exit 1",
            frameDoneLine,
            "if [ \"$delay\" -gt 0 ]; then sleep \"$delay\"; fi",
            "i=$((i + 1))",
            "done",
            "echo \"Rendered $n frames into $out\"");
    }

    private SampleJobs() {
    }

    /**
     * The demo job's tasks.
     *
     * @param outputDir         where frames and results go (made absolute)
     * @param frames            number of frames to render (at least 1)
     * @param frameDelaySeconds pause after each frame so progress is visible (0 for tests)
     * @param includeVideo      add the FFmpeg task; pass {@link #ffmpegOnPath(String)}
     */
    public static List<TaskSpec> demoJob(Path outputDir, int frames, int frameDelaySeconds, boolean includeVideo) {
        return demoJob(outputDir, frames, frameDelaySeconds, includeVideo, Optional.empty());
    }

    /**
     * The demo job; with {@code blendFile} the frames are rendered by real Blender ({@code blender_render}, PNG)
     * instead of the shell script.
     */
    public static List<TaskSpec> demoJob(Path outputDir, int frames, int frameDelaySeconds, boolean includeVideo,
                                         Optional<Path> blendFile) {
        if (frames < 1 || frameDelaySeconds < 0) {
            throw new IllegalArgumentException("frames must be >= 1 and the delay >= 0");
        }
        Path out = outputDir.toAbsolutePath().normalize();
        String ext = blendFile.isPresent() ? "png" : "ppm";
        List<TaskSpec> tasks = new ArrayList<>();
        tasks.add(blendFile.map(b -> blenderRenderTask(out, frames, b)).orElseGet(() -> renderTask(out, frames,
                frameDelaySeconds)));
        tasks.add(filesTask(out, frames, ext));
        if (includeVideo) {
            tasks.add(videoTask(out, ext));
        }
        return List.copyOf(tasks);
    }

    /** Whether an executable {@code ffmpeg} is in one of the directories of a {@code PATH} value. */
    public static boolean ffmpegOnPath(String pathVariable) {
        if (pathVariable == null || pathVariable.isEmpty()) {
            return false;
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "ffmpeg"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The files a worker leaves behind after running {@link #demoJob} into an empty {@code outputDir}: every frame,
     * the published first frame, the last frame numbered by {@code move_with_counter}, and the video if included.
     */
    public static List<Path> expectedOutputs(Path outputDir, int frames, boolean includeVideo) {
        Path out = outputDir.toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= frames; i++) {
            files.add(out.resolve(frameName(i)));
        }
        files.add(out.resolve("published").resolve("first-frame.ppm"));
        files.add(out.resolve("published").resolve("last-frame_001.ppm"));
        if (includeVideo) {
            files.add(out.resolve("demo.mkv"));
        }
        return List.copyOf(files);
    }

    /** The file name of frame {@code i} (1-based). */
    public static String frameName(int i) {
        return frameName(i, "ppm");
    }

    static String frameName(int i, String ext) {
        return String.format("frame-%04d.%s", i, ext);
    }

    /** Frames rendered by real Blender: {@code render_output} {@code frame-####} makes {@code frame-0001.png}. */
    static TaskSpec blenderRenderTask(Path out, int frames, Path blendFile) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("blender_cmd", "blender");
        settings.put("filepath", blendFile.toAbsolutePath().toString());
        settings.put("frames", "1.." + frames);
        settings.put("format", "PNG");
        settings.put("render_output", out.resolve("frame-####").toString());
        return new TaskSpec(RENDER_TASK, "blender-render", List.of(TaskSpec.command("blender_render", settings)));
    }

    static TaskSpec renderTask(Path out, int frames, int delay) {
        // One command: the task's progress then stays at 0 % until the frames are rendered, instead of claiming
        // 50 % for a message printed before the first frame.
        return new TaskSpec(RENDER_TASK, "blender-render", List.of(
                TaskSpec.command("exec", Map.of("cmd", commandLine(renderArgv(out, frames, delay))))));
    }

    static TaskSpec filesTask(Path out, int frames, String ext) {
        Path published = out.resolve("published");
        Path staged = out.resolve("staging").resolve("last-frame." + ext);
        return new TaskSpec(FILES_TASK, "file-management", List.of(
                TaskSpec.command("copy_file", settings("src", out.resolve(frameName(1, ext)),
                        "dest", published.resolve("first-frame." + ext))),
                TaskSpec.command("copy_file", settings("src", out.resolve(frameName(frames, ext)), "dest", staged)),
                TaskSpec.command("move_with_counter", settings("src", staged,
                        "dest", published.resolve("last-frame." + ext)))),
                List.of(RENDER_TASK));
    }

    static TaskSpec videoTask(Path out, String ext) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("input_files", out.resolve("frame-*." + ext).toString());
        settings.put("output_file", out.resolve("demo.mkv").toString());
        settings.put("fps", 24);
        return new TaskSpec(VIDEO_TASK, "video-encoding", List.of(TaskSpec.command("create_video", settings)),
                List.of(RENDER_TASK));
    }

    /** The render program's argument list; {@code exec} receives it as one quoted command string. */
    static List<String> renderArgv(Path out, int frames, int delay) {
        return List.of("sh", "-c", RENDER_SCRIPT, "demo-render", out.toString(), Integer.toString(frames),
                Integer.toString(delay));
    }

    /** Joins words into a string that POSIX shell-word splitting (commands.md §2.2) turns back into them. */
    static String commandLine(List<String> argv) {
        return argv.stream().map(SampleJobs::quote).collect(Collectors.joining(" "));
    }

    static String quote(String word) {
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }

    /**
     * The Flamenco 3 demo job (commands.md §7) for the {@link EmbeddedV3Manager}: a {@code blender} task whose
     * {@code blender-render} runs the render script (a PPM per frame, then Blender's {@code Saved:} and {@code Time:}
     * lines, one step each), a {@code file-management} task ({@code make-directory}, {@code copy-file},
     * {@code move-directory}) and, with FFmpeg, an {@code ffmpeg} task ({@code frames-to-video}).
     */
    public static List<V3TaskSpec> v3DemoJob(Path outputDir, int frames, int frameDelaySeconds,
                                             boolean includeVideo) {
        if (frames < 1 || frameDelaySeconds < 0) {
            throw new IllegalArgumentException("frames must be >= 1 and the delay >= 0");
        }
        Path out = outputDir.toAbsolutePath().normalize();
        Map<String, Object> render = new LinkedHashMap<>();
        render.put("exe", "/bin/sh");
        render.put("exeArgs", "");
        render.put("argsBefore", List.of());
        render.put("blendfile", "");
        render.put("args", List.of("-c", V3_RENDER_SCRIPT, "demo-render", out.toString(), frames,
                frameDelaySeconds));
        List<V3TaskSpec> tasks = new ArrayList<>();
        tasks.add(new V3TaskSpec(RENDER_TASK, "blender", List.of(
                V3TaskSpec.command("echo", Map.of("message", "Rendering " + frames + " frames into " + out)),
                V3TaskSpec.command("blender-render", render, frames))));
        Path published = out.resolve("published");
        Path staging = out.resolve("staging");
        tasks.add(new V3TaskSpec(FILES_TASK, "file-management", List.of(
                V3TaskSpec.command("make-directory", Map.of("path", staging.toString())),
                V3TaskSpec.command("copy-file", settings("src", out.resolve(frameName(1)), "dest",
                        staging.resolve("first-frame.ppm"))),
                V3TaskSpec.command("copy-file", settings("src", out.resolve(frameName(frames)), "dest",
                        staging.resolve("last-frame.ppm"))),
                V3TaskSpec.command("move-directory", settings("src", staging, "dest", published))),
                List.of(RENDER_TASK)));
        if (includeVideo) {
            Map<String, Object> video = new LinkedHashMap<>();
            video.put("exe", "ffmpeg");
            video.put("exeArgs", "-hide_banner -y");
            video.put("fps", 24);
            video.put("inputGlob", out.resolve("frame-*.ppm").toString());
            video.put("outputFile", out.resolve("demo.mp4").toString());
            video.put("argsBefore", List.of());
            video.put("args", List.of("-c:v", "h264", "-pix_fmt", "yuv420p"));
            tasks.add(new V3TaskSpec(VIDEO_TASK, "ffmpeg", List.of(V3TaskSpec.command("frames-to-video", video)),
                    List.of(RENDER_TASK)));
        }
        return List.copyOf(tasks);
    }

    /** The files {@link #v3DemoJob} leaves behind in an empty {@code outputDir}. */
    public static List<Path> v3ExpectedOutputs(Path outputDir, int frames, boolean includeVideo) {
        Path out = outputDir.toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= frames; i++) {
            files.add(out.resolve(frameName(i)));
        }
        files.add(out.resolve("published").resolve("first-frame.ppm"));
        files.add(out.resolve("published").resolve("last-frame.ppm"));
        if (includeVideo) {
            files.add(out.resolve("demo.mp4"));
        }
        return List.copyOf(files);
    }

    private static Map<String, Object> settings(String k1, Path v1, String k2, Path v2) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put(k1, v1.toString());
        s.put(k2, v2.toString());
        return s;
    }
}
