package org.flamenco.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flamenco.worker.config.ConfigFiles.write;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadedConfigTest {
    @TempDir
    Path dir;
    LoadedConfig loaded;

    @BeforeEach
    void setUp() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "worker_id = 0123456789abcdef01234567",
                "worker_secret = hunter2", "worker_registration_secret = swordfish", "[formatter_x]",
                "format = %(name)s", "[notes]", "text = a", "  b", "copy = x${flamenco-worker:worker_secret}y");
        loaded = new ConfigLoader(work, Files.createDirectories(dir.resolve("home"))).load();
    }

    @Test
    void iniDumpShowsEveryKeyWithSecretsMasked() {
        String ini = loaded.toIni();

        assertThat(ini).doesNotContain("hunter2", "swordfish")
                .contains("worker_secret = ***\n", "worker_registration_secret = ***\n",
                        "worker_id = 0123456789abcdef01234567\n", "push_log_max_entries = 1000\n",
                        "manager_url =\n", "[formatter_x]\nformat = %(name)s\n")
                .contains("[notes]\ntext = a\n    b\n");
    }

    @Test
    void secretCopiedIntoAnotherKeyIsMaskedThereToo() {
        assertThat(loaded.toIni()).contains("copy = x***y\n").doesNotContain("hunter2");
    }

    @Test
    void iniDumpReadsBackAsTheSameSections() throws Exception {
        Path dump = write(dir.resolve("dump.cfg"), loaded.toIni());

        var reread = IniParser.parse(dump);

        assertThat(reread.get("notes").get("text").text()).isEqualTo("a\nb");
        assertThat(reread.keySet()).containsExactlyElementsOf(loaded.sections().keySet());
    }

    @Test
    void testModeReplacesTaskTypesInConfigAndDump() {
        LoadedConfig test = loaded.forTestMode();

        assertThat(test.config().taskTypes()).containsExactly("test-blender-render");
        assertThat(test.toIni()).contains("task_types = test-blender-render\n");
    }

    @Test
    void reregisterEmptiesCredentialsInMemoryOnly() {
        LoadedConfig cleared = loaded.withoutStoredCredentials();

        assertThat(cleared.config().credentials().workerId()).isEmpty();
        assertThat(cleared.config().credentials().secret().isEmpty()).isTrue();
        assertThat(cleared.toIni()).contains("worker_id =\n", "worker_secret =\n");
        assertThat(loaded.config().credentials().isComplete()).isTrue();
    }
}
