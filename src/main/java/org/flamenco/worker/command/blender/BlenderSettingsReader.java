package org.flamenco.worker.command.blender;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PythonText;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.command.ShellWords;
import org.flamenco.worker.command.ShellWordsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses the Blender commands' settings into their records, in the order and with the messages of commands.md
 * §3.12–§3.17. Stateless apart from its collaborators; thread-safe.
 */
public final class BlenderSettingsReader {
    /** How long a missing blend file is given to appear (it may still be syncing to a network share). */
    static final Duration BLEND_FILE_GRACE = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(BlenderSettingsReader.class);

    private final Path workingDirectory;
    private final ExecutableSearch executables;
    private final Clock clock;

    public BlenderSettingsReader(Path workingDirectory, ExecutableSearch executables, Clock clock) {
        this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
        this.executables = Objects.requireNonNull(executables, "executables");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** §3.12, shared by §3.13–§3.15 (§4.1). May wait {@link #BLEND_FILE_GRACE} for the blend file. */
    public BlenderRenderSettings render(Settings s) throws InvalidSettingException {
        String renderOutput = s.optString("render_output", "");
        if (!renderOutput.isEmpty()) {
            createParent(renderOutput);
        }
        String frames = s.optString("frames", "");
        s.optString("render_format", "");
        String format = s.optString("format", "");
        String pythonExpr = s.optString("python_expr", "");
        List<String> words = blenderCmd(s);
        String filepath = s.requireString("filepath");
        requireBlendFile(filepath);
        return new BlenderRenderSettings(words, filepath, renderOutput, frames, format, pythonExpr);
    }

    /** §3.13. */
    public ProgressiveSettings progressive(Settings s) throws InvalidSettingException {
        if (s.has("cycles_chunk")) {
            throw new InvalidSettingException("\"cycles_chunk\" is an obsolete setting. Recreate the job using "
                    + "Flamenco Server 2.2 or newer, or use an older Worker.");
        }
        BlenderRenderSettings render = render(s);
        return new ProgressiveSettings(render, positive(s, "cycles_num_chunks"), positive(s, "cycles_chunk_start"),
                positive(s, "cycles_chunk_end"));
    }

    /** §3.14. */
    public AudioSettings audio(Settings s) throws InvalidSettingException {
        BlenderRenderSettings render = render(s);
        String output = s.requireString("render_output");
        if (output.isEmpty()) {
            throw new InvalidSettingException("'render_output' is a required setting");
        }
        return new AudioSettings(render, optionalInteger(s, "frame_start"), optionalInteger(s, "frame_end"));
    }

    /** §3.15. */
    public ExrToJpegSettings exrToJpeg(Settings s) throws InvalidSettingException {
        String glob = s.optString("exr_glob", "");
        String directory = s.optString("exr_directory", "");
        if (!glob.isEmpty() && !directory.isEmpty()) {
            throw new InvalidSettingException("Just pass \"exr_glob\", do not use \"exr_directory\"");
        }
        if (glob.isEmpty() && directory.isEmpty()) {
            throw new InvalidSettingException("\"exr_glob\" may not be empty");
        }
        if (glob.isEmpty()) {
            glob = directory.replace('\\', '/') + "/*.exr";
        }
        String pattern = s.optString("output_pattern", "preview-######.jpg");
        if (pattern.isEmpty()) {
            throw new InvalidSettingException("\"output_pattern\" may not be empty");
        }
        return new ExrToJpegSettings(render(s), glob, pattern);
    }

    /** §3.16. */
    public MergeSettings merge(Settings s) throws InvalidSettingException {
        List<String> words = blenderCmd(s);
        String input1 = existingInput(s, "input1", "Input 1");
        String input2 = existingInput(s, "input2", "Input 2");
        String output = noDoubleQuotes(s.requireString("output"));
        long weight1 = s.requireInteger("weight1");
        long weight2 = s.requireInteger("weight2");
        return new MergeSettings(words, input1, input2, output, weight1, weight2);
    }

    /** §3.17. */
    public MergeSequenceSettings mergeSequence(Settings s) throws InvalidSettingException {
        MergeSettings merge = merge(s);
        if (!merge.output().contains("##")) {
            throw new InvalidSettingException("Output filename should contain at least two \"##\" marks");
        }
        return new MergeSequenceSettings(merge, s.requireInteger("frame_start"), s.requireInteger("frame_end"));
    }

    /** {@code blender_cmd}: required, split into words, the first naming an existing file (or a PATH entry). */
    List<String> blenderCmd(Settings s) throws InvalidSettingException {
        String cmd = s.requireString("blender_cmd");
        List<String> words = words(cmd);
        String first = words.isEmpty() ? "" : words.get(0);
        if (executables.find(first, false).isEmpty()) {
            throw new InvalidSettingException("blender_cmd " + PythonText.repr(first) + " does not exist");
        }
        return words;
    }

    private void requireBlendFile(String filepath) throws InvalidSettingException {
        Path path = resolve("filepath", filepath);
        if (Files.exists(path)) {
            return;
        }
        LOG.warn("file {} does not exist, waiting for a bit to see if it appears", filepath);
        try {
            clock.sleep(BLEND_FILE_GRACE);
        } catch (InterruptedException e) {
            // The task is being stopped; keep the flag for the runner and report the file as missing.
            Thread.currentThread().interrupt();
        }
        if (!Files.exists(path)) {
            throw new InvalidSettingException("filepath " + PythonText.repr(filepath) + " does not exist");
        }
    }

    private void createParent(String renderOutput) throws InvalidSettingException {
        Path parent = resolve("render_output", renderOutput).getParent();
        if (parent == null) {
            return;
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException | RuntimeException e) {
            throw new InvalidSettingException("\"render_output\": dir " + parent + " cannot be created: " + e);
        }
    }

    private String existingInput(Settings s, String key, String label) throws InvalidSettingException {
        String value = noDoubleQuotes(s.requireString(key));
        if (!Files.exists(resolve(key, value))) {
            throw new InvalidSettingException(label + " " + PythonText.repr(value) + " does not exist");
        }
        return value.replace('\\', '/');
    }

    private static String noDoubleQuotes(String value) throws InvalidSettingException {
        if (value.contains("\"")) {
            throw new InvalidSettingException(
                    "Double quotes are not allowed in filenames: " + PythonText.repr(value));
        }
        return value.replace('\\', '/');
    }

    private Path resolve(String key, String value) throws InvalidSettingException {
        try {
            return workingDirectory.resolve(value);
        } catch (InvalidPathException e) {
            throw new InvalidSettingException("\"" + key + "\" is not a valid path: " + PythonText.repr(value));
        }
    }

    private static long positive(Settings s, String key) throws InvalidSettingException {
        try {
            long value = s.requireInteger(key);
            if (value >= 1) {
                return value;
            }
        } catch (InvalidSettingException e) {
            // Replaced by the command's own message (commands.md §1.3).
        }
        throw new InvalidSettingException("\"" + key + "\" must be a positive integer");
    }

    private static OptionalLong optionalInteger(Settings s, String key) throws InvalidSettingException {
        return s.has(key) ? OptionalLong.of(s.requireInteger(key)) : OptionalLong.empty();
    }

    private static List<String> words(String cmd) throws InvalidSettingException {
        try {
            return ShellWords.split(cmd);
        } catch (ShellWordsException e) {
            throw new InvalidSettingException("\"blender_cmd\" cannot be split into words: " + e.getMessage());
        }
    }
}
