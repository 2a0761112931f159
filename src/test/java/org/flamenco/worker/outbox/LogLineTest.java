package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class LogLineTest {
    @Test
    void timestamp_hasSixFractionDigitsAndAUtcOffset() {
        assertThat(LogLine.timestamp(Instant.parse("2020-03-12T10:00:00.123456789Z")))
                .isEqualTo("2020-03-12T10:00:00.123456+00:00");
    }

    @Test
    void timestamp_padsSmallFractions() {
        assertThat(LogLine.timestamp(Instant.parse("2020-03-12T10:00:00.000100Z")))
                .isEqualTo("2020-03-12T10:00:00.000100+00:00");
    }

    @Test
    void timestamp_leavesOutTheFractionOnlyWhenMicrosecondsAreZero() {
        assertThat(LogLine.timestamp(Instant.parse("2020-03-12T10:00:00Z"))).isEqualTo("2020-03-12T10:00:00+00:00");
        assertThat(LogLine.timestamp(Instant.parse("2020-03-12T10:00:00.000000999Z")))
                .isEqualTo("2020-03-12T10:00:00+00:00");
    }

    @Test
    void prefixed_joinsTimestampAndTextWithColonSpace() {
        assertThat(LogLine.prefixed(Instant.parse("2020-03-12T10:00:00.125001Z"), "blender_render: Starting"))
                .isEqualTo("2020-03-12T10:00:00.125001+00:00: blender_render: Starting");
    }

    @Test
    void utf8Length_countsEncodedBytes() {
        String s = "aé€😀";

        assertThat(LogLine.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void utf8LengthOfOneLine_countsLikeUtf8Length_orIsMinusOneForANewlineAnywhere() {
        for (String s : new String[] {"", "pid=12 > 123456", "aé€😀", "trailing space \r"}) {
            assertThat(LogLine.utf8LengthOfOneLine(s)).as(s).isEqualTo(LogLine.utf8Length(s));
        }
        for (String s : new String[] {"\n", "first\nsecond", "é€😀\n", "end\n"}) {
            assertThat(LogLine.utf8LengthOfOneLine(s)).as(s).isEqualTo(-1);
        }
    }
}
