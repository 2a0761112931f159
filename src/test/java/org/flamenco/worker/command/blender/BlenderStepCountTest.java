package org.flamenco.worker.command.blender;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.flamenco.worker.testing.RecordingReporter;
import org.junit.jupiter.api.Test;

/** Flamenco 3 step counting from Blender's output (commands.md §7 {@code blender-render}). */
class BlenderStepCountTest {
    private final RecordingReporter reporter = new RecordingReporter();
    private final SteppingClock clock = new SteppingClock();
    private final BlenderLineProcessor processor = new BlenderLineProcessor(reporter, clock,
            new Checkpoints(clock, reporter), FrameList.parse("1..3"));

    private void feed(String... lines) throws InterruptedException {
        for (String line : List.of(lines)) {
            processor.accept(line);
        }
    }

    @Test
    void savedAndItsTimeLine_countOneStep() throws Exception {
        feed("Fra:1 Mem:33.14M (Peak 47.50M) | Time:00:02.40 | Mem:12.40M, Peak:12.40M | Scene | Finished",
                "Saved: '/tmp/0001.png'", " Time: 00:02.41 (Saving: 00:00.01)");

        assertThat(reporter.steps()).isEqualTo(1);
    }

    @Test
    void timeLineWithoutSaved_countsOneStep_progressTimeDoesNot() throws Exception {
        feed("Fra:1 Mem:33.14M | Time:00:02.40 | Sample 16/32", " Time: 00:02.41 (Saving: 00:00.01)",
                "Fra:2 Mem:33.14M | Time:00:01.00 | Sample 16/32", "Time: 01:00:02.41 (Saving: 00:00.01)");

        assertThat(reporter.steps()).isEqualTo(2);
    }

    @Test
    void skippedFrame_countsOneStep_andBlender5PrefixIsUnderstood() throws Exception {
        feed("skipping existing frame \"/tmp/0001.png\"", "00:03.906  image    | Saved: '/tmp/0002.png'",
                "00:03.910  render   | Time: 00:02.41 (Saving: 00:00.01)");

        assertThat(reporter.steps()).isEqualTo(2);
    }
}
