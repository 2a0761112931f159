package org.flamenco.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flamenco.worker.config.ConfigFiles.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 26: one identity per instance (§2.2), {@code ~} without a home (§1), and the newcomer's messages. */
class InstanceIdentityConfigTest {
    private static final String ID_OWN = "0000000000000000000000aa";
    private static final String ID_STALE = "0000000000000000000000bb";

    @TempDir
    Path dir;
    Path work;
    Path home;

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createDirectories(dir.resolve("work"));
        home = Files.createDirectories(dir.resolve("home"));
    }

    /** Test files are written with the default umask; that warning is not what these tests are about. */
    private static java.util.List<String> withoutModeWarnings(LoadedConfig loaded) {
        return loaded.warnings().stream().filter(w -> !w.contains("readable by other users")).toList();
    }

    @Test
    void ownCredentialsFile_winsOverAStaleIdentityInTheHomeFile_withOneWarningNamingBoth() throws Exception {
        write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "credentials_file = creds.cfg");
        Path homeFile = write(home.resolve(".flamenco-worker.cfg"), "[flamenco-worker]", "worker_id = " + ID_STALE,
                "worker_secret = stale", "task_types = from-home");
        write(work.resolve("creds.cfg"), "[flamenco-worker]", "worker_id = " + ID_OWN, "worker_secret = own");

        LoadedConfig loaded = new ConfigLoader(work, home).load();

        assertThat(loaded.config().credentials().workerId()).isEqualTo(ID_OWN);
        assertThat(loaded.config().credentials().secret().reveal()).isEqualTo("own");
        assertThat(loaded.config().taskTypes()).containsExactly("from-home");
        assertThat(loaded.identityOrigin()).isEqualTo(work.resolve("creds.cfg").toString());
        assertThat(withoutModeWarnings(loaded)).singleElement().asString()
                .startsWith(homeFile + ": worker_id/worker_secret ignored")
                .contains(work.resolve("creds.cfg").toString());
    }

    @Test
    void ownCredentialsFileNotWrittenYet_theHomeIdentityIsStillIgnored_soTheInstanceRegistersItsOwn()
            throws Exception {
        write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "credentials_file = creds.cfg");
        write(home.resolve(".flamenco-worker.cfg"), "[flamenco-worker]", "worker_id = " + ID_STALE,
                "worker_secret = stale");

        LoadedConfig loaded = new ConfigLoader(work, home).load();

        assertThat(loaded.config().credentials().isComplete()).isFalse();
    }

    @Test
    void mainFileCanStillPinAnIdentityOverTheCredentialsFile() throws Exception {
        write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "credentials_file = creds.cfg",
                "worker_id = " + ID_OWN, "worker_secret = pinned");
        write(work.resolve("creds.cfg"), "[flamenco-worker]", "worker_id = " + ID_STALE, "worker_secret = x");

        LoadedConfig loaded = new ConfigLoader(work, home).load();

        assertThat(loaded.config().credentials().workerId()).isEqualTo(ID_OWN);
        assertThat(loaded.identityOrigin()).isEqualTo(work.resolve("flamenco-worker.cfg").toString());
        assertThat(withoutModeWarnings(loaded)).isEmpty();
    }

    @Test
    void homeFileAsCredentialsFile_keepsItsIdentityWithoutWarning() throws Exception {
        write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]");
        write(home.resolve(".flamenco-worker.cfg"), "[flamenco-worker]", "worker_id = " + ID_OWN,
                "worker_secret = own");

        LoadedConfig loaded = new ConfigLoader(work, home).load();

        assertThat(loaded.config().credentials().workerId()).isEqualTo(ID_OWN);
        assertThat(withoutModeWarnings(loaded)).isEmpty();
    }

    @Test
    void noHomeAtAll_theDefaultCredentialsFileIsAConfigErrorNamingTheKey() throws Exception {
        write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]");

        assertThatThrownBy(() -> new ConfigLoader(work, Optional.empty()).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("<built-in defaults>: [flamenco-worker] credentials_file = "
                        + "\"~/.flamenco-worker.cfg\": expected a path; ~ cannot be expanded")
                .hasMessageContaining("set HOME");
    }

    @Test
    void noHomeAtAll_anAbsoluteCredentialsFileWorksAndNoHomeLayerIsSearched() throws Exception {
        write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "credentials_file = " + work.resolve("c"));

        LoadedConfig loaded = new ConfigLoader(work, Optional.empty()).load();

        assertThat(loaded.searched()).containsExactly(work.resolve("flamenco-worker.cfg"));
        assertThat(loaded.config().credentialsFile()).isEqualTo(work.resolve("c"));
    }

    @Test
    void misspeltKey_suggestsTheNearestKnownOne() throws Exception {
        Path main = write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "manger_url = http://x/",
                "colour = blue");

        LoadedConfig loaded = new ConfigLoader(work, home).load();

        assertThat(loaded.warnings()).containsExactly(
                main + ": [flamenco-worker] unknown key \"manger_url\" ignored; did you mean \"manager_url\"?",
                main + ": [flamenco-worker] unknown key \"colour\" ignored");
    }

    @Test
    void windowsStylePaths_areWarnedAboutNamingKeyAndValue() throws Exception {
        Path main = write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]",
                "task_update_queue_db = D:\\flamenco\\queue.db", "[pre_task_check]", "read.0 = \\\\server\\share\\x",
                "write.0 = /render/out");

        LoadedConfig loaded = new ConfigLoader(work, home).load();

        assertThat(loaded.warnings()).containsExactly(
                main + ": [flamenco-worker] task_update_queue_db = \"D:\\flamenco\\queue.db\" looks like a Windows "
                        + "path (drive letter or \\\\server share); on this system it is a file name in the working "
                        + "directory, not that location",
                main + ": [pre_task_check] read.0 = \"\\\\server\\share\\x\" looks like a Windows path (drive letter "
                        + "or \\\\server share); on this system it is a file name in the working directory, not "
                        + "that location");
    }

    @Test
    void unreadableConfigFile_namesTheReason() throws Exception {
        Path main = write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]");
        Files.delete(main);
        Files.createDirectory(main); // readable by nobody as a file, also for root

        assertThatThrownBy(() -> new ConfigLoader(work, home).load())
                .isInstanceOf(ConfigException.class)
                .hasMessage(main + ": cannot read: Is a directory");
    }
}
