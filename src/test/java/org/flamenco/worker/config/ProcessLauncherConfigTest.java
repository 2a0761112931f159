package org.flamenco.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flamenco.worker.config.ConfigFiles.write;

import java.nio.file.Files;
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
    Path main;
    ConfigLoader loader;

    @BeforeEach
    void setUp() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        main = work.resolve("flamenco-worker.cfg");
        loader = new ConfigLoader(work, Files.createDirectories(dir.resolve("home")));
    }

    private WorkerConfig load(String... lines) throws ConfigException {
        String[] all = new String[lines.length + 1];
        all[0] = "[flamenco-worker]";
        System.arraycopy(lines, 0, all, 1, lines.length);
        write(main, all);
        return loader.load().config();
    }

    @Test
    void defaultIsAuto() throws Exception {
        assertThat(load().processLauncher()).isEqualTo("auto");
    }

    @Test
    void valuesAreReadInLowerCase() throws Exception {
        assertThat(load("process_launcher = Portable").processLauncher()).isEqualTo("portable");
        assertThat(load("process_launcher = posix").processLauncher()).isEqualTo("posix");
    }

    @ParameterizedTest
    @ValueSource(strings = {"windows", "setsid", "0"})
    void unknownValueIsOneLineNamingFileKeyAndForm(String value) {
        assertThatThrownBy(() -> load("process_launcher = " + value))
                .isInstanceOf(ConfigException.class)
                .hasMessage(main + ": [flamenco-worker] process_launcher = \"" + value
                        + "\": expected auto, posix or portable");
    }
}
