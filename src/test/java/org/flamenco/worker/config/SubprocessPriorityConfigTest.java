package org.flamenco.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.OptionalInt;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code oom_score_adjust} and {@code subprocess_nice} (worker-behaviour.md §2.3). */
class SubprocessPriorityConfigTest {
    @TempDir
    Path dir;
    WorkerSectionFile file;
    Path main;

    @BeforeEach
    void setUp() {
        file = new WorkerSectionFile(dir);
        main = file.path();
    }

    private WorkerConfig load(String... lines) throws ConfigException {
        return file.load(lines);
    }

    @Test
    void defaultsAre500OnLinuxAndNiceZero() throws Exception {
        WorkerConfig config = load();

        boolean linux = System.getProperty("os.name").startsWith("Linux");
        assertThat(config.subprocess().oomScoreAdjust()).isEqualTo(linux ? OptionalInt.of(500) : OptionalInt.empty());
        assertThat(config.subprocess().nice()).isZero();
    }

    @Test
    void emptyOomScoreAdjustLeavesTheScoreAsItIs() throws Exception {
        assertThat(load("oom_score_adjust =").subprocess().oomScoreAdjust()).isEmpty();
    }

    @Test
    void configuredValuesAreRead() throws Exception {
        WorkerConfig config = load("oom_score_adjust = 1000", "subprocess_nice = 19");

        assertThat(config.subprocess().oomScoreAdjust()).hasValue(1000);
        assertThat(config.subprocess().nice()).isEqualTo(19);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "oom_score_adjust | 1001        | expected empty (leave as is) or an integer from 0 to 1000",
        "oom_score_adjust | -17         | expected empty (leave as is) or an integer from 0 to 1000",
        "oom_score_adjust | high        | expected empty (leave as is) or an integer from 0 to 1000",
        "oom_score_adjust | 99999999999 | expected empty (leave as is) or an integer from 0 to 1000",
        "subprocess_nice  | 20          | expected an integer from 0 to 19",
        "subprocess_nice  | -5          | expected an integer from 0 to 19",
        "subprocess_nice  | 2.5         | expected an integer from 0 to 19",
    })
    void outOfRangeOrNonIntegerIsOneLineNamingFileKeyAndForm(String key, String value, String expected) {
        assertThatThrownBy(() -> load(key + " = " + value))
                .isInstanceOf(ConfigException.class)
                .hasMessage(main + ": [flamenco-worker] " + key + " = \"" + value + "\": " + expected);
    }
}
