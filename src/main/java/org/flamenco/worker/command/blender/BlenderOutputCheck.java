package org.flamenco.worker.command.blender;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Output verification after Blender exited with status 0 (commands.md §4.4): every reported file exists and is
 * non-empty, and with {@code render_output} set the output accounts for every listed frame.
 */
final class BlenderOutputCheck {
    private static final int MAX_LISTED_FRAMES = 20;

    private BlenderOutputCheck() {
    }

    /**
     * @param workingDirectory  relative {@code Saved:} paths are resolved against it
     * @param renderOutputSet   whether {@code render_output} was non-empty
     * @param frames            the parsed {@code frames} setting, if parseable
     * @return the failure message, or empty when the output is complete
     */
    static Optional<String> verify(BlenderLineProcessor output, Path workingDirectory, boolean renderOutputSet,
                                   Optional<FrameList> frames) {
        List<BlenderLineProcessor.SavedFile> saved = output.savedFiles();
        for (BlenderLineProcessor.SavedFile file : saved) {
            if (!nonEmptyFile(workingDirectory.resolve(file.path()))) {
                return Optional.of("Blender reported saving " + file.path() + ", but the file is missing or empty");
            }
        }
        if (!renderOutputSet || frames.isEmpty()) {
            return Optional.empty();
        }
        long expected = frames.get().count();
        long reported = saved.size() + (long) output.skippedFrames();
        if (reported >= expected) {
            return Optional.empty();
        }
        String message = "Blender exited normally but reported output for only " + reported + " of " + expected
                + " frames";
        return Optional.of(message + missingFrames(output, saved, frames.get()));
    }

    /** {@code ; missing frames: 2, 5} when each saved file's frame is known from the {@code Fra:} lines. */
    private static String missingFrames(BlenderLineProcessor output, List<BlenderLineProcessor.SavedFile> saved,
                                        FrameList frames) {
        if (output.skippedFrames() > 0 || saved.stream().anyMatch(f -> f.frame().isEmpty())) {
            return "";
        }
        Set<Integer> done = new HashSet<>();
        saved.forEach(f -> done.add(f.frame().getAsInt()));
        List<Integer> missing = frames.framesNotIn(done, MAX_LISTED_FRAMES);
        if (missing.isEmpty()) {
            return "";
        }
        return "; missing frames: " + missing.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    static boolean nonEmptyFile(Path p) {
        try {
            return Files.isRegularFile(p) && Files.size(p) > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
