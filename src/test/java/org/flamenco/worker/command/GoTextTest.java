package org.flamenco.worker.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoTextTest {
    @Test
    void quoteEscapesLikeStrconvQuote() {
        assertThat(GoText.quote("a \"b\" \\ c\n\t\u0001é")).isEqualTo("\"a \\\"b\\\" \\\\ c\\n\\t\\x01é\"");
    }

    @Test
    void durationIsWrittenLikeGo() {
        assertThat(GoText.duration(0)).isEqualTo("0s");
        assertThat(GoText.duration(1_500_000_000L)).isEqualTo("1.5s");
        assertThat(GoText.duration(50_000_000L)).isEqualTo("50ms");
        assertThat(GoText.duration(1_500L)).isEqualTo("1.5µs");
        assertThat(GoText.duration(120_000_000_000L)).isEqualTo("2m0s");
        assertThat(GoText.duration(3_723_000_000_000L)).isEqualTo("1h2m3s");
        assertThat(GoText.duration(7L)).isEqualTo("7ns");
    }
}
