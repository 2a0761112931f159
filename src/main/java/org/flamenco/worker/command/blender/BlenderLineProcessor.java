package org.flamenco.worker.command.blender;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.command.CommandReporter;

/**
 * Reads Blender's output lines (commands.md §4.3): missing-file warnings, load and render checkpoints, the
 * throttled {@code Fra:} activity, command progress over the frame list, {@code Saved:} output notices, and the
 * trouble markers appended to a failure. The {@code pid=<pid> > <line>} task-log line is written by the subprocess
 * runner, not here.
 *
 * <p>Not thread-safe: one output-reader thread calls {@link #accept}; the command reads the results after the
 * process ended and the reader was joined.
 */
public final class BlenderLineProcessor {
    static final Duration ACTIVITY_INTERVAL = Duration.ofSeconds(30);

    private static final Pattern MISSING_PATH = Pattern.compile("Warning: Path '.*' not found");
    private static final Pattern SAVED = Pattern.compile("Saved: '(.*)'");
    /** Blender's line after a finished frame, e.g. {@code  Time: 00:01.23 (Saving: 00:00.01)}. */
    private static final Pattern FRAME_DONE = Pattern.compile("^\\s*Time:\\s*(\\d+:)?\\d+:\\d+\\.\\d+");

    /** A file Blender reported saving, with the frame it was rendering then (when known). */
    public record SavedFile(Path path, OptionalInt frame) {
    }

    private final CommandReporter reporter;
    private final Clock clock;
    private final Checkpoints checkpoints;
    private final Optional<FrameList> frames;
    private final List<SavedFile> saved = new ArrayList<>();
    private int skipped;
    private String trouble;
    private boolean activitySent;
    private long lastActivityNanos;
    private int progress;
    private OptionalInt currentFrame = OptionalInt.empty();
    /** A step was counted for a {@code Saved:} line and the frame's {@code Time:} line has not come yet. */
    private boolean savedStepPending;

    /**
     * @param frames the {@code frames} setting parsed; empty when absent or not a list (progress then stays 0)
     */
    BlenderLineProcessor(CommandReporter reporter, Clock clock, Checkpoints checkpoints, Optional<FrameList> frames) {
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.frames = Objects.requireNonNull(frames, "frames");
    }

    /** Handles one output line as Blender printed it (trailing whitespace already removed). */
    public void accept(String rawLine) throws InterruptedException {
        String line = BlenderProgressLine.normalise(rawLine);
        if (line.contains("Warning: Unable to open") || MISSING_PATH.matcher(line).find()) {
            reporter.activity(line);
        }
        if (checkpoints.current().filter("starting blender"::equals).isPresent()
                && (line.startsWith("Read blend:") || line.startsWith("Info: Read library:"))) {
            checkpoints.start("loading blendfile");
        }
        Optional<BlenderProgressLine> progressLine = BlenderProgressLine.parse(line);
        if (progressLine.isPresent()) {
            onProgress(progressLine.get());
        }
        Matcher saved = SAVED.matcher(line);
        if (saved.find()) {
            Path path = Path.of(saved.group(1));
            this.saved.add(new SavedFile(path, currentFrame));
            reporter.outputProduced(path);
            reporter.stepCompleted();
            savedStepPending = true;
        } else if (FRAME_DONE.matcher(line).find()) {
            countFrameDone();
        }
        if (line.toLowerCase(Locale.ROOT).contains("skipping existing frame")) {
            skipped++;
            reporter.stepCompleted();
            savedStepPending = false;
        }
        if (line.startsWith("Error:") || line.contains("Out of memory") || line.contains("Malloc returns null")) {
            trouble = line;
        }
    }

    /**
     * A frame's {@code Time:} line is one step (Flamenco 3 counting, commands.md §7), unless its {@code Saved:} line
     * was counted already: a frame that saves a file prints both.
     */
    private void countFrameDone() {
        if (savedStepPending) {
            savedStepPending = false;
        } else {
            reporter.stepCompleted();
        }
    }

    private void onProgress(BlenderProgressLine p) throws InterruptedException {
        if (!activitySent) {
            checkpoints.start("rendering");
        }
        currentFrame = OptionalInt.of(p.frame());
        long now = clock.nanoTime();
        if (!activitySent || now - lastActivityNanos >= ACTIVITY_INTERVAL.toNanos()) {
            activitySent = true;
            lastActivityNanos = now;
            reporter.activity(p.activity());
        }
        if (frames.isPresent()) {
            updateProgress(frames.get(), p);
        }
    }

    private void updateProgress(FrameList list, BlenderProgressLine p) throws InterruptedException {
        OptionalInt position = list.positionOf(p.frame());
        if (position.isEmpty()) {
            return;
        }
        double done = (position.getAsInt() + p.samples().orElse(0)) / list.count();
        int percentage = (int) Math.min(99, Math.floor(done * 100));
        if (percentage > progress) {
            progress = percentage;
            reporter.commandProgress(percentage);
        }
    }

    /** Every {@code Saved:} file, in output order. */
    public List<SavedFile> savedFiles() {
        return List.copyOf(saved);
    }

    /** How many {@code skipping existing frame} lines were seen. */
    public int skippedFrames() {
        return skipped;
    }

    /** {@code  (Blender reported: <line>)} for the last trouble marker, or the empty string. */
    public String failureSuffix() {
        return trouble == null ? "" : " (Blender reported: " + trouble + ")";
    }
}
