package org.flamenco.worker.command.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FfmpegProgressTest {
    @Test
    void frameCounterOverInputCount_risingOnly_cappedAt99() {
        FfmpegProgress p = new FfmpegProgress(4);

        assertThat(p.percentage("frame=    1 fps=0.0 q=28.0 size=       0kB time=00:00:00.01")).hasValue(25);
        assertThat(p.percentage("frame=    1 fps=0.0 q=28.0 size=       0kB time=00:00:00.02")).isEmpty();
        assertThat(p.percentage("frame=    4 fps=0.0 q=-1.0 Lsize=       5kB")).hasValue(99);
        assertThat(p.percentage("Stream mapping:")).isEmpty();
    }

    @Test
    void noInputs_noProgress() {
        assertThat(new FfmpegProgress(0).percentage("frame=    1")).isEmpty();
    }
}
