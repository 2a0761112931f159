package org.flamenco.worker.command.blender;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.flamenco.worker.testing.RecordingReporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BlenderLineProcessorTest {
    private final RecordingReporter reporter = new RecordingReporter();
    private final SteppingClock clock = new SteppingClock();
    private final Checkpoints checkpoints = new Checkpoints(clock, reporter);

    private BlenderLineProcessor processor(String frames) {
        checkpoints.start("starting blender");
        return new BlenderLineProcessor(reporter, clock, checkpoints, FrameList.parse(frames));
    }

    static List<String> fixture(String name) throws IOException {
        try (InputStream in = BlenderLineProcessorTest.class.getResourceAsStream("/fixtures/blender/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::stripTrailing).toList();
        }
    }

    private void feed(BlenderLineProcessor p, List<String> lines) throws InterruptedException {
        for (String line : lines) {
            p.accept(line);
            clock.advance(Duration.ofSeconds(1));
        }
    }

    @ParameterizedTest(name = "Blender {0}")
    @CsvSource(delimiter = ';', value = {
        "2.83; Fra:1 Mem:17.52M | Time:00:00.07 | Preparing Scene data; /shared/render/shot_010/000",
        "2.93; Fra:1 Mem:20.13M | Time:00:00.09 | Preparing Scene data; /shared/render/shot_020/frame_000",
        "3.6; Fra:1 Mem:109.56M | Time:00:00.21 | Syncing Cube; /shared/render/shot_030/shot_030-000",
        "4.2; Fra:1 Mem:212.81M | Time:00:00.34 | Camera; /shared/render/shot_040/000",
        "5.0; Fra:1 Mem:6M | Syncing Cube; /shared/render/shot_050/000",
    })
    void fixture_firstProgressLineBecomesActivityAndEverySavedFileIsAnnounced(
            String version, String firstActivity, String outputPrefix) throws Exception {
        BlenderLineProcessor p = processor("1..3");

        feed(p, fixture(version + ".txt"));

        assertThat(reporter.activities()).filteredOn(a -> a.startsWith("Fra:")).first().isEqualTo(firstActivity);
        int frames = version.equals("2.93") ? 2 : 3;
        assertThat(reporter.outputs()).hasSize(frames)
                .allSatisfy(path -> assertThat(path.toString()).startsWith(outputPrefix));
        assertThat(p.savedFiles()).extracting(f -> f.frame().getAsInt()).containsExactly(
                version.equals("2.93") ? new Integer[] {1, 2} : new Integer[] {1, 2, 3});
        assertThat(reporter.progress()).isSorted().allSatisfy(pct -> assertThat(pct).isBetween(1, 99));
        assertThat(reporter.progress().get(reporter.progress().size() - 1)).isGreaterThanOrEqualTo(
                version.equals("2.93") ? 49 : 66);
        assertThat(p.failureSuffix()).isEmpty();
    }

    @Test
    void activityFromProgress_isThrottledTo30Seconds() throws Exception {
        BlenderLineProcessor p = processor("1");

        p.accept("Fra:1 Mem:1M | Time:00:00.10 | Sample 1/10");
        clock.advance(Duration.ofSeconds(29));
        p.accept("Fra:1 Mem:1M | Time:00:29.10 | Sample 2/10");
        clock.advance(Duration.ofSeconds(1));
        p.accept("Fra:1 Mem:1M | Time:00:30.10 | Sample 3/10");

        assertThat(reporter.activities()).containsExactly(
                "Fra:1 Mem:1M | Time:00:00.10 | Sample 1/10",
                "Fra:1 Mem:1M | Time:00:30.10 | Sample 3/10");
    }

    @Test
    void progress_countsFramePositionPlusSampleFraction_andNeverDecreases() throws Exception {
        BlenderLineProcessor p = processor("10..13");

        p.accept("Fra:11 Mem:1M | Sample 2/4");
        p.accept("Fra:10 Mem:1M | Sample 4/4");
        p.accept("Fra:13 Mem:1M | Sample 4/4");

        assertThat(reporter.progress()).containsExactly(37, 99);
    }

    @Test
    void progress_staysZeroWithoutAParseableFrameList() throws Exception {
        BlenderLineProcessor p = processor("");

        p.accept("Fra:1 Mem:1M | Sample 2/4");

        assertThat(reporter.progress()).isEmpty();
    }

    @Test
    void missingTexture_becomesActivityAtOnce() throws Exception {
        BlenderLineProcessor p = processor("1");

        p.accept("Warning: Unable to open /tex/wood.png");
        p.accept("00:00.100  image    | Warning: Path '/tex/rock.png' not found");

        assertThat(reporter.activities()).containsExactly("Warning: Unable to open /tex/wood.png",
                "Warning: Path '/tex/rock.png' not found");
    }

    @Test
    void checkpoints_followLoadingAndRendering() throws Exception {
        BlenderLineProcessor p = processor("1");

        clock.advance(Duration.ofSeconds(2));
        p.accept("Read blend: \"/x.blend\"");
        clock.advance(Duration.ofSeconds(3));
        p.accept("Fra:1 Mem:1M | Sample 1/2");
        clock.advance(Duration.ofSeconds(5));
        checkpoints.close();

        assertThat(reporter.timing()).containsEntry("starting blender", 2.0)
                .containsEntry("loading blendfile", 3.0).containsEntry("rendering", 5.0);
    }

    @Test
    void libraryRead_alsoStartsLoadingCheckpointButOnlyOnce() throws Exception {
        BlenderLineProcessor p = processor("1");

        p.accept("Info: Read library:  '//lib.blend', '/lib.blend', parent '<direct>'");
        clock.advance(Duration.ofSeconds(4));
        p.accept("Read blend: \"/x.blend\"");
        checkpoints.close();

        assertThat(reporter.timing()).containsEntry("loading blendfile", 4.0);
    }

    @Test
    void outOfMemory_isAppendedToTheFailure() throws Exception {
        BlenderLineProcessor p = processor("1");

        feed(p, fixture("out-of-memory.txt"));

        assertThat(p.failureSuffix()).isEqualTo(
                " (Blender reported: Fra:1 Mem:7920.11M (Peak 8254.30M) | Time:00:15.02 | Mem:7998.02M, "
                        + "Peak:7998.02M | Scene, ViewLayer | Out of memory in CUDA queue enqueue "
                        + "(integrator_shade_surface))");
    }

    @Test
    void mallocFailure_isATroubleMarker() throws Exception {
        BlenderLineProcessor p = processor("1");

        p.accept("Malloc returns null: len=3221225472 in Cycles Aligned Alloc, total 8254309240");

        assertThat(p.failureSuffix()).isEqualTo(
                " (Blender reported: Malloc returns null: len=3221225472 in Cycles Aligned Alloc, total 8254309240)");
    }

    @Test
    void pythonError_isAppendedToTheFailure() throws Exception {
        BlenderLineProcessor p = processor("1");

        feed(p, fixture("python-error.txt"));

        assertThat(p.failureSuffix())
                .isEqualTo(" (Blender reported: Error: Python: Traceback (most recent call last):)");
    }

    @Test
    void missingBlendFile_isAppendedToTheFailure() throws Exception {
        BlenderLineProcessor p = processor("1");

        feed(p, fixture("missing-blend-file.txt"));

        assertThat(p.failureSuffix()).isEqualTo(" (Blender reported: Error: Cannot read file "
                + "\"/shared/jobs/shot_080/shot_080.blend\": No such file or directory)");
    }

    @Test
    void skippedFrames_areCounted() throws Exception {
        BlenderLineProcessor p = processor("1..2");

        p.accept("Skipping existing frame \"/render/0001.png\"");

        assertThat(p.skippedFrames()).isEqualTo(1);
        assertThat(reporter.outputs()).isEmpty();
    }

    @Test
    void savedLine_remembersTheFrameBeingRendered() throws Exception {
        BlenderLineProcessor p = processor("7");

        p.accept("Fra:7 Mem:1M | Finished");
        p.accept("Saved: '/render/0007.png'");

        assertThat(p.savedFiles()).containsExactly(
                new BlenderLineProcessor.SavedFile(Path.of("/render/0007.png"), java.util.OptionalInt.of(7)));
        assertThat(reporter.outputs()).containsExactly(Path.of("/render/0007.png"));
        assertThat(FrameList.parse("7")).isNotEqualTo(Optional.empty());
    }
}
