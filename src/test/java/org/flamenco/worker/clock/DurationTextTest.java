package org.flamenco.worker.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationTextTest {
    @ParameterizedTest
    @CsvSource({"0, 0.0s", "49, 0.0s", "4250, 4.2s", "59999, 59.9s", "60000, 1m00s", "192400, 3m12s",
        "1325000, 22m05s", "3599999, 59m59s", "3600000, 1h00m00s", "93601000, 26h00m01s", "-5, 0.0s"})
    void compactWritesMeasuredDurations(long millis, String expected) {
        assertThat(DurationText.compact(Duration.ofMillis(millis))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"10000, 10", "500, 0.5", "3600000, 3600", "1, 0.001"})
    void secondsWritesConfiguredValuesAsTheUserWroteThem(long millis, String expected) {
        assertThat(DurationText.seconds(Duration.ofMillis(millis))).isEqualTo(expected);
    }
}
