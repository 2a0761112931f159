package org.flamenco.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flamenco.worker.config.ConfigFiles.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String ID_A = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String ID_B = "bbbbbbbbbbbbbbbbbbbbbbbb";

    @TempDir
    Path dir;
    Path work;
    Path home;
    ConfigLoader loader;

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createDirectories(dir.resolve("work"));
        home = Files.createDirectories(dir.resolve("home"));
        loader = new ConfigLoader(work, home);
    }

    @Test
    void withOnlyAnEmptyMainFile_everyKeyHasItsDefault() throws Exception {
        write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]");

        WorkerConfig config = loader.load().config();

        assertThat(config.manager().url()).isEmpty();
        assertThat(config.manager().uri()).isEmpty();
        assertThat(config.taskTypes())
                .containsExactly("sleep", "blender-render", "file-management", "exr-merge", "video-encoding");
        assertThat(config.queue().db()).isEqualTo(work.resolve("flamenco-worker.db"));
        assertThat(config.subprocess().pidFile()).contains(work.resolve("flamenco-worker-subprocess.pid"));
        assertThat(config.lifecycle().mayIRunInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.queue().pushLogMaxInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.queue().pushLogMaxEntries()).isEqualTo(1000);
        assertThat(config.queue().pushActMaxInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.credentials().isComplete()).isFalse();
        assertThat(config.credentialsFile()).isEqualTo(home.resolve(".flamenco-worker.cfg"));
        assertThat(config.manager().nickname()).isEmpty();
        assertThat(config.manager().caFile()).isEmpty();
        assertThat(config.manager().connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.manager().readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.subprocess().killGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.subprocess().inactivityTimeout()).isEqualTo(Duration.ofSeconds(3600));
        assertThat(config.queue().taskLogMaxBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.preTask().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.lifecycle().shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.lifecycle().quarantineFastFailures()).isZero();
        assertThat(config.manager().protocol()).isEqualTo("auto");
        assertThat(config.preTask().readPaths()).isEmpty();
        assertThat(config.preTask().writePaths()).isEmpty();
        assertThat(config.logging()).isEqualTo(LoggingSettings.defaults());
        assertThat(config.workingDir()).isEqualTo(work);
    }

    @Test
    void missingMainFileIsAnErrorNamingItsAbsolutePathAndHowToStart() {
        assertThatThrownBy(() -> loader.load())
                .isInstanceOf(ConfigException.class)
                .hasMessage("Config file " + work.resolve("flamenco-worker.cfg") + " does not exist; to start, copy "
                        + "flamenco-worker.cfg.example (in the install's conf/ directory) to it and set manager_url, "
                        + "or pass -c FILE");
    }

    @Test
    void homeFileReplacesSingleKeysOfTheMainFile() throws Exception {
        write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "manager_url = http://main:8083/",
                "task_types = sleep");
        write(home.resolve(".flamenco-worker.cfg"), "[flamenco-worker]", "manager_url = http://home:8083/");

        LoadedConfig loaded = loader.load();

        assertThat(loaded.config().manager().url()).isEqualTo("http://home:8083/");
        assertThat(loaded.config().taskTypes()).containsExactly("sleep");
        assertThat(loaded.filesRead())
                .containsExactly(work.resolve("flamenco-worker.cfg"), home.resolve(".flamenco-worker.cfg"));
        assertThat(loaded.searched()).isEqualTo(loaded.filesRead());
    }

    @Test
    void explicitFileReplacesTheSearchOrder() throws Exception {
        write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "task_types = from-main");
        write(home.resolve(".flamenco-worker.cfg"), "[flamenco-worker]", "task_types = from-home");
        write(work.resolve("other.cfg"), "[flamenco-worker]", "push_log_max_entries = 7",
                "credentials_file = creds.cfg");

        LoadedConfig loaded = loader.load(Optional.of(Path.of("other.cfg")));

        assertThat(loaded.config().taskTypes()).hasSize(5).doesNotContain("from-main", "from-home");
        assertThat(loaded.config().queue().pushLogMaxEntries()).isEqualTo(7);
        assertThat(loaded.filesRead()).containsExactly(work.resolve("other.cfg"));
    }

    @Test
    void missingExplicitFileIsAnError() {
        assertThatThrownBy(() -> loader.load(Optional.of(Path.of("nope.cfg"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Config file " + work.resolve("nope.cfg") + " does not exist (given with -c); check the "
                        + "path, or copy flamenco-worker.cfg.example (in the install's conf/ directory) to it and set "
                        + "manager_url");
    }

    @Test
    void withExplicitFile_credentialsComeFromTheDefaultCredentialsFile() throws Exception {
        write(work.resolve("other.cfg"), "[flamenco-worker]", "task_types = sleep");
        write(home.resolve(".flamenco-worker.cfg"), "[flamenco-worker]", "worker_id = " + ID_A,
                "worker_secret = s3cr3t", "task_types = ignored");

        LoadedConfig loaded = loader.load(Optional.of(work.resolve("other.cfg")));

        assertThat(loaded.config().credentials().workerId()).isEqualTo(ID_A);
        assertThat(loaded.config().credentials().secret().reveal()).isEqualTo("s3cr3t");
        assertThat(loaded.config().taskTypes()).containsExactly("sleep");
        assertThat(loaded.filesRead()).containsExactly(work.resolve("other.cfg"), home.resolve(".flamenco-worker.cfg"));
    }

    @Test
    void credentialsFileSuppliesOnlyEmptyCredentialKeys() throws Exception {
        write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "worker_id = " + ID_A,
                "credentials_file = state/creds.cfg");
        write(work.resolve("state/creds.cfg"), "[flamenco-worker]", "worker_id = " + ID_B,
                "worker_secret = from-creds", "manager_url = http://ignored/");

        WorkerConfig config = loader.load().config();

        assertThat(config.credentialsFile()).isEqualTo(work.resolve("state/creds.cfg"));
        assertThat(config.credentials().workerId()).isEqualTo(ID_A);
        assertThat(config.credentials().secret().reveal()).isEqualTo("from-creds");
        assertThat(config.manager().url()).isEmpty();
    }

    @Test
    void credentialsFileAlreadyLoadedAsHomeFileIsNotReadTwice() throws Exception {
        write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]");
        write(home.resolve(".flamenco-worker.cfg"), "[flamenco-worker]", "worker_id = " + ID_A);

        LoadedConfig loaded = loader.load();

        assertThat(loaded.filesRead()).hasSize(2);
        assertThat(loaded.config().credentials().workerId()).isEqualTo(ID_A);
    }

    @Test
    void defaultSectionIsWarnedAboutAndIgnored() throws Exception {
        Path main = write(work.resolve("flamenco-worker.cfg"), "[DEFAULT]", "foo = bar", "[flamenco-worker]",
                "[pre_task_check]");

        LoadedConfig loaded = loader.load();

        assertThat(loaded.warnings()).containsExactly(main + ": section [DEFAULT] is not supported; ignored");
        assertThat(loaded.sections()).doesNotContainKey("DEFAULT");
        assertThat(loaded.config().preTask().readPaths()).isEmpty();
    }

    @Test
    void unknownKeyIsAWarningNotAnError() throws Exception {
        Path main = write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "colour = blue");

        LoadedConfig loaded = loader.load();

        assertThat(loaded.warnings()).containsExactly(main + ": [flamenco-worker] unknown key \"colour\" ignored");
    }

    @Test
    void unknownSectionIsAWarning() throws Exception {
        Path main = write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "[extras]", "a = 1");

        assertThat(loader.load().warnings()).containsExactly(main + ": unknown section [extras] ignored");
    }

    @Test
    void interpolationResolvesSameSectionOtherSectionAndDoubleDollar() throws Exception {
        write(work.resolve("flamenco-worker.cfg"),
                "[paths]", "root = /srv/render",
                "[flamenco-worker]", "base = ${paths:root}/state", "task_update_queue_db = ${base}/queue.db",
                "worker_nickname = costs $$5");

        LoadedConfig loaded = loader.load();

        assertThat(loaded.config().queue().db()).isEqualTo(Path.of("/srv/render/state/queue.db"));
        assertThat(loaded.config().manager().nickname()).isEqualTo("costs $5");
    }

    @Test
    void dollarFollowedByAnythingElseIsAnError() throws Exception {
        Path main = write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "worker_nickname = a$b");

        assertThatThrownBy(() -> loader.load())
                .isInstanceOf(ConfigException.class)
                .hasMessage(main + ": [flamenco-worker] worker_nickname = \"a$b\": expected \"$$\" for a literal "
                        + "\"$\", or a reference \"${key}\" or \"${section:key}\"");
    }

    @Test
    void badDollarOutsideTheWorkersSectionsIsOnlyAWarning() throws Exception {
        Path main = write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "[formatter_x]",
                "format = $name %(message)s");

        LoadedConfig loaded = loader.load();

        assertThat(loaded.sections().get("formatter_x").get("format")).isEqualTo("$name %(message)s");
        assertThat(loaded.warnings()).singleElement().asString()
                .startsWith(main + ": [formatter_x] format = \"$name %(message)s\": expected \"$$\"")
                .endsWith("; value used as written");
    }

    @Test
    void referenceToAMissingKeyIsAnError() throws Exception {
        Path main = write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "worker_nickname = ${x:y}");

        assertThatThrownBy(() -> loader.load())
                .isInstanceOf(ConfigException.class)
                .hasMessage(main + ": [flamenco-worker] worker_nickname = \"${x:y}\": expected a reference to an "
                        + "existing key, but [x] y does not exist");
    }

    @Test
    void secretValueIsMaskedInInterpolationErrors() throws Exception {
        write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "worker_secret = hunter$2");

        assertThatThrownBy(() -> loader.load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("worker_secret = \"***\"")
                .message().doesNotContain("hunter");
    }

    @Test
    void preTaskCheckKeysBecomeReadAndWritePathsInOrder() throws Exception {
        write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "[pre_task_check]",
                "write.1 = /render/frames", "read.0 = shared/blender", "write.0 = /render/_flamenco");

        WorkerConfig config = loader.load().config();

        assertThat(config.preTask().readPaths()).containsExactly(work.resolve("shared/blender"));
        assertThat(config.preTask().writePaths())
                .containsExactly(Path.of("/render/frames"), Path.of("/render/_flamenco"));
    }

    @Test
    void secretInAFileReadableByOthersIsWarnedAbout() throws Exception {
        Path main = write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "worker_secret = s");
        Files.setPosixFilePermissions(main, PosixFilePermissions.fromString("rw-r--r--"));

        List<String> warnings = loader.load().warnings();

        assertThat(warnings).containsExactly(
                main + " contains worker_secret and is readable by other users; run: chmod 600 " + main);
    }

    @Test
    void secretInAnOwnerOnlyFileIsNotWarnedAbout() throws Exception {
        Path main = write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "worker_secret = s");
        Files.setPosixFilePermissions(main, PosixFilePermissions.fromString("rw-------"));

        assertThat(loader.load().warnings()).isEmpty();
    }

    @Test
    void windowsPathsWithBackslashesAreKeptAsWritten() throws Exception {
        write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]", "task_update_queue_db = C:\\fw\\new\\q.db");

        LoadedConfig loaded = loader.load();

        assertThat(loaded.sections().get("flamenco-worker").get("task_update_queue_db"))
                .isEqualTo("C:\\fw\\new\\q.db");
        assertThat(loaded.config().queue().db().toString()).endsWith("C:\\fw\\new\\q.db");
    }

    @Test
    void shippedExampleFileLoadsWithoutWarnings_andLogsInTheWorkingDirectory() throws Exception {
        Path example = Path.of("flamenco-worker.cfg.example").toAbsolutePath();

        LoadedConfig loaded = loader.load(Optional.of(example));

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.config().logging().file()).get()
                .isEqualTo(new LoggingSettings.LogFile(work.resolve("flamenco-worker.log"),
                        LoggingSettings.Rotation.DAILY_UTC, 7, 0));
        assertThat(loaded.config().logging().console()).isTrue();
    }

    @Test
    void originalWorkersConfigurationFileLoads() throws Exception {
        write(work.resolve("flamenco-worker.cfg"),
                "[flamenco-worker]",
                "",
                "# The URL of the Flamenco Manager. Leave empty for auto-discovery via UPnP/SSDP.",
                "manager_url = http://flamenco-manager:8083/",
                "",
                "task_types = sleep blender-render file-management exr-merge debug",
                "task_update_queue_db = flamenco-worker.db",
                "subprocess_pid_file = flamenco-worker-subprocess.pid",
                "may_i_run_interval_seconds = 5",
                "",
                "push_log_max_interval_seconds = 30",
                "push_log_max_entries = 2000",
                "push_act_max_interval_seconds = 15",
                "",
                "[pre_task_check]",
                "write.0 = /render/_flamenco",
                "",
                "[loggers]",
                "keys = root,flamenco_worker",
                "",
                "[logger_root]",
                "level = WARNING",
                "handlers = console,file",
                "",
                "[logger_flamenco_worker]",
                "level = INFO",
                "qualname = flamenco_worker",
                "handlers = console,file",
                "propagate = 0",
                "",
                "[handlers]",
                "keys = console,file",
                "",
                "[handler_console]",
                "class = logging.StreamHandler",
                "formatter = flamenco",
                "args = (sys.stderr,)",
                "",
                "[handler_file]",
                "class = logging.handlers.TimedRotatingFileHandler",
                "formatter = flamenco",
                "# (filename, when, interval, backupCount, encoding, delay, utc, atTime=None)",
                "args = ('flamenco-worker.log', 'midnight', 1, 7, 'utf8', True, True)",
                "",
                "[formatters]",
                "keys = flamenco",
                "",
                "[formatter_flamenco]",
                "format = %(asctime)-15s %(levelname)8s %(name)s %(message)s",
                "datefmt =");

        LoadedConfig loaded = loader.load();

        assertThat(loaded.warnings()).isEmpty();
        WorkerConfig config = loaded.config();
        assertThat(config.manager().url()).isEqualTo("http://flamenco-manager:8083/");
        assertThat(config.taskTypes()).contains("debug");
        assertThat(config.queue().pushLogMaxEntries()).isEqualTo(2000);
        assertThat(config.preTask().writePaths()).containsExactly(Path.of("/render/_flamenco"));
        assertThat(config.logging()).isEqualTo(new LoggingSettings(LoggingSettings.LogLevel.WARNING,
                LoggingSettings.LogLevel.INFO, true, Optional.of(new LoggingSettings.LogFile(
                        work.resolve("flamenco-worker.log"), LoggingSettings.Rotation.DAILY_UTC, 7, 0))));
        assertThat(loaded.sections().get("formatter_flamenco").get("format"))
                .isEqualTo("%(asctime)-15s %(levelname)8s %(name)s %(message)s");
    }
}
