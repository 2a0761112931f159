package org.flamenco.worker.command.blender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The test vectors of commands.md §4.3. */
class BlenderProgressLineTest {

    private static BlenderProgressLine parse(String raw) {
        return BlenderProgressLine.parse(BlenderProgressLine.normalise(raw)).orElseThrow();
    }

    @Test
    void cycles28TileLine_yieldsAllFields() {
        BlenderProgressLine p = parse("Fra:10 Mem:17.52M (0.00M, Peak 33.47M) | Time:00:04.17 | Remaining:00:00.87 "
                + "| Mem:1.42M, Peak:1.42M | Scene, RenderLayer | Path Tracing Tile 110/135");

        assertThat(p.frame()).isEqualTo(10);
        assertThat(p.mem()).contains("17.52M");
        assertThat(p.peak()).contains("33.47M");
        assertThat(BlenderProgressLine.seconds(p.time().orElseThrow())).isCloseTo(4.17, within(1e-9));
        assertThat(BlenderProgressLine.seconds(p.remaining().orElseThrow())).isCloseTo(0.87, within(1e-9));
        assertThat(p.status()).contains("Path Tracing Tile 110/135");
        assertThat(p.samples().getAsDouble()).isCloseTo(110.0 / 135, within(1e-9));
        assertThat(p.activity())
                .isEqualTo("Fra:10 Mem:17.52M | Time:00:04.17 | Remaining:00:00.87 | Path Tracing Tile 110/135");
    }

    @Test
    void hoursAndPaddedFrame_areParsed() {
        BlenderProgressLine p = parse("Fra:003 Mem:17.52G (0.00M, Peak 33G) | Time:03:00:04.17 | "
                + "Remaining:44:00:00.87 | Mem:1.42M, Peak:1.42M | Scene, RenderLayer | "
                + "Computing cosmic flöw 110/13005");

        assertThat(p.frame()).isEqualTo(3);
        assertThat(p.mem()).contains("17.52G");
        assertThat(p.peak()).contains("33G");
        assertThat(BlenderProgressLine.seconds(p.time().orElseThrow())).isCloseTo(10804.17, within(1e-6));
        assertThat(BlenderProgressLine.seconds(p.remaining().orElseThrow())).isCloseTo(158400.87, within(1e-6));
        assertThat(p.status()).contains("Computing cosmic flöw 110/13005");
        assertThat(p.samples()).isEmpty();
    }

    @Test
    void compositingLine_hasNoRemainingOrSamples() {
        BlenderProgressLine p = parse(
                "Fra:1 Mem:130.47M (Peak 206.18M) | Time:00:07.56 | Compositing | De-initializing execution");

        assertThat(p.frame()).isEqualTo(1);
        assertThat(p.mem()).contains("130.47M");
        assertThat(p.peak()).contains("206.18M");
        assertThat(BlenderProgressLine.seconds(p.time().orElseThrow())).isCloseTo(7.56, within(1e-9));
        assertThat(p.remaining()).isEmpty();
        assertThat(p.status()).contains("De-initializing execution");
        assertThat(p.samples()).isEmpty();
    }

    @Test
    void eeveeSamplesLine_yieldsSampleFraction() {
        BlenderProgressLine p = parse("Fra:1 Mem:109.56M (Peak 116.98M) | Time:00:01.48 | Rendering 25 / 64 samples");

        assertThat(p.peak()).contains("116.98M");
        assertThat(BlenderProgressLine.seconds(p.time().orElseThrow())).isCloseTo(1.48, within(1e-9));
        assertThat(p.status()).contains("Rendering 25 / 64 samples");
        assertThat(p.samples().getAsDouble()).isCloseTo(25.0 / 64, within(1e-9));
    }

    @Test
    void blender5LogPrefix_isRemovedBeforeParsing() {
        BlenderProgressLine p = parse("00:03.906  render | Fra: 4 | Mem: 6M | Sample 24/24");

        assertThat(p.frame()).isEqualTo(4);
        assertThat(p.mem()).contains("6M");
        assertThat(p.peak()).isEmpty();
        assertThat(p.time()).isEmpty();
        assertThat(p.remaining()).isEmpty();
        assertThat(p.status()).contains("Sample 24/24");
        assertThat(p.samples().getAsDouble()).isEqualTo(1.0);
        assertThat(p.activity()).isEqualTo("Fra:4 Mem:6M | Sample 24/24");
    }

    @Test
    void timeWithoutHours_isMinutesSecondsHundredths() {
        BlenderProgressLine p = parse("Fra:1 | Time:00:04.17 |");

        assertThat(p.time()).contains("00:04.17");
        assertThat(BlenderProgressLine.seconds("00:04.17")).isCloseTo(4.17, within(1e-9));
    }

    @Test
    void linesNotStartingWithFra_areNoProgress() {
        assertThat(BlenderProgressLine.parse("Saved: '/tmp/0001.png'")).isEqualTo(Optional.empty());
        assertThat(BlenderProgressLine.parse(" Fra:1 Mem:1M")).isEmpty();
        assertThat(BlenderProgressLine.parse("Read blend: /x.blend")).isEmpty();
    }
}
