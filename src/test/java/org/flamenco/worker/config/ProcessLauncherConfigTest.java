package org.flamenco.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code process_launcher} (README, platform table). */
class ProcessLauncherConfigTest {
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
    void defaultIsAuto() throws Exception {
        assertThat(load().subprocess().launcher()).isEqualTo("auto");
    }

    @Test
    void valuesAreReadInLowerCase() throws Exception {
        assertThat(load("process_launcher = Portable").subprocess().launcher()).isEqualTo("portable");
        assertThat(load("process_launcher = posix").subprocess().launcher()).isEqualTo("posix");
        assertThat(load("process_launcher = SPAWN").subprocess().launcher()).isEqualTo("spawn");
    }

    @Test
    void windowsLauncherNeedsWindows() {
        assertThatThrownBy(() -> load("process_launcher = windows"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(main + ": [flamenco-worker] process_launcher = \"windows\": expected auto, spawn or"
                        + " portable (windows needs Windows)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jobobject", "setsid", "0"})
    void unknownValueIsOneLineNamingFileKeyAndForm(String value) {
        assertThatThrownBy(() -> load("process_launcher = " + value))
                .isInstanceOf(ConfigException.class)
                .hasMessage(main + ": [flamenco-worker] process_launcher = \"" + value
                        + "\": expected auto, posix, spawn, windows or portable");
    }
}
