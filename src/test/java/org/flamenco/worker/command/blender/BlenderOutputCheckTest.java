package org.flamenco.worker.command.blender;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.flamenco.worker.testing.RecordingReporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** commands.md §4.4. */
class BlenderOutputCheckTest {
    @TempDir
    Path dir;
    private final RecordingReporter reporter = new RecordingReporter();
    private final SteppingClock clock = new SteppingClock();

    private BlenderLineProcessor processor(String frames) {
        return new BlenderLineProcessor(reporter, clock, new Checkpoints(clock, reporter), FrameList.parse(frames));
    }

    private Optional<String> verify(BlenderLineProcessor p, boolean renderOutputSet, String frames) {
        return BlenderOutputCheck.verify(p, dir, renderOutputSet, FrameList.parse(frames));
    }

    private void render(BlenderLineProcessor p, int frame, boolean save) throws Exception {
        p.accept("Fra:" + frame + " Mem:1M | Sample 1/1");
        if (save) {
            Path file = Files.writeString(dir.resolve(String.format("%04d.png", frame)), "png");
            p.accept("Saved: '" + file + "'");
        }
    }

    @Test
    void allFramesSaved_passes() throws Exception {
        BlenderLineProcessor p = processor("1..3");
        for (int f = 1; f <= 3; f++) {
            render(p, f, true);
        }

        assertThat(verify(p, true, "1..3")).isEmpty();
    }

    @Test
    void savedFileThatIsEmpty_fails() throws Exception {
        BlenderLineProcessor p = processor("1");
        Path empty = Files.createFile(dir.resolve("0001.png"));
        p.accept("Saved: '" + empty + "'");

        assertThat(verify(p, true, "1"))
                .contains("Blender reported saving " + empty + ", but the file is missing or empty");
    }

    @Test
    void savedFileThatIsMissing_fails() throws Exception {
        BlenderLineProcessor p = processor("1");
        p.accept("Saved: '/nonexistent/0001.png'");

        assertThat(verify(p, false, ""))
                .contains("Blender reported saving /nonexistent/0001.png, but the file is missing or empty");
    }

    @Test
    void frameWithoutOutput_failsNamingTheMissingFrame() throws Exception {
        BlenderLineProcessor p = processor("1..3");
        render(p, 1, true);
        render(p, 2, false);
        render(p, 3, true);

        assertThat(verify(p, true, "1..3")).contains(
                "Blender exited normally but reported output for only 2 of 3 frames; missing frames: 2");
    }

    @Test
    void frameNeverRendered_isNamedToo() throws Exception {
        BlenderLineProcessor p = processor("1,5..6");
        render(p, 1, true);

        assertThat(verify(p, true, "1,5..6")).contains(
                "Blender exited normally but reported output for only 1 of 3 frames; missing frames: 5, 6");
    }

    @Test
    void skippedExistingFrames_countAsOutput() throws Exception {
        BlenderLineProcessor p = processor("1..2");
        render(p, 1, true);
        p.accept("skipping existing frame \"/render/0002.png\"");

        assertThat(verify(p, true, "1..2")).isEmpty();
    }

    @Test
    void withoutRenderOutput_frameCountIsNotChecked() throws Exception {
        BlenderLineProcessor p = processor("1..3");
        render(p, 1, false);

        assertThat(verify(p, false, "1..3")).isEmpty();
    }

    @Test
    void unparseableFrames_frameCountIsNotChecked() throws Exception {
        BlenderLineProcessor p = processor("");
        render(p, 1, false);

        assertThat(verify(p, true, "1-3")).isEmpty();
    }
}
