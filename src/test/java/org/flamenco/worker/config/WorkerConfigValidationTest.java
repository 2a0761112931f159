package org.flamenco.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flamenco.worker.config.ConfigFiles.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerConfigValidationTest {
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

    private WorkerConfig load(String key, String value) throws ConfigException {
        write(main, "[flamenco-worker]", key + " = " + value);
        return loader.load().config();
    }

    private String errorFor(String key, String value) {
        write(main, "[flamenco-worker]", key + " = " + value);
        try {
            loader.load();
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + key + " = " + value);
    }

    @Test
    void pushLogMaxEntriesThatIsNotANumberNamesFileSectionKeyValueAndForm() {
        assertThat(errorFor("push_log_max_entries", "lots")).isEqualTo(
                main + ": [flamenco-worker] push_log_max_entries = \"lots\": expected an integer of at least 1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "may_i_run_interval_seconds     | fast | expected a number of seconds greater than 0",
        "may_i_run_interval_seconds     | 0    | expected a number of seconds greater than 0",
        "push_log_max_interval_seconds  | -1   | expected a number of seconds greater than 0",
        "push_act_max_interval_seconds  | nan  | expected a number of seconds greater than 0",
        "http_connect_timeout_seconds   | inf  | expected a number of seconds greater than 0",
        "http_read_timeout_seconds      | 1e999 | expected a number of seconds greater than 0",
        "pre_task_check_timeout_seconds | 0x10 | expected a number of seconds greater than 0",
        "shutdown_timeout_seconds       | 5s   | expected a number of seconds greater than 0",
        "subprocess_kill_grace_seconds  | -0.5 | expected a number of seconds, 0 or more",
        "subprocess_inactivity_timeout_seconds | Infinity | expected a number of seconds, 0 or more (0 disables)",
        "push_log_max_entries           | 0    | expected an integer of at least 1",
        "push_log_max_entries           | 1.5  | expected an integer of at least 1",
        "task_log_max_bytes             | -1   | expected a number of bytes, 0 or more (0 disables the cap)",
        "quarantine_fast_failures       | two  | expected an integer, 0 or more (0 disables)",
        "worker_id                      | 123  | expected empty or 24 hexadecimal characters",
        "task_types                     | sleep bad/type | expected a whitespace-separated list of task types, "
                + "each matching [A-Za-z0-9][A-Za-z0-9._-]*",
        "manager_protocol               | v4   | expected v2, v3 or auto",
        "restart_exit_code              | 3    | expected empty (the Manager cannot restart this worker) or an "
                + "integer from 6 to 127 (0-5 and 128+ are the worker's own exit codes)",
        "restart_exit_code              | 47x  | expected empty (the Manager cannot restart this worker) or an "
                + "integer from 6 to 127 (0-5 and 128+ are the worker's own exit codes)",
        "manager_ca_file                | missing.pem | expected a readable PEM file with at least one certificate",
    })
    void invalidValueGivesOneLineNamingFileSectionKeyValueAndExpectedForm(String key, String value,
                                                                          String expected) {
        String message = errorFor(key, value);

        assertThat(message).isEqualTo(main + ": [flamenco-worker] " + key + " = \"" + value + "\": " + expected);
        assertThat(message).doesNotContain("\n");
    }

    @Test
    void emptyTaskTypesIsAnError() {
        assertThat(errorFor("task_types", "")).endsWith("task_types = \"\": expected at least one task type");
    }

    @Test
    void credentialsFileThatIsADirectoryNamesFileKeyAndForm() throws Exception {
        Path directory = Files.createDirectories(dir.resolve("creds"));

        assertThat(errorFor("credentials_file", directory.toString())).isEqualTo(main
                + ": [flamenco-worker] credentials_file = \"" + directory + "\": expected the path of a file "
                + "(the worker keeps its identity there), not a directory: " + directory);
    }

    @Test
    void nicknameWithControlCharacterIsAnError() {
        assertThat(errorFor("worker_nickname", "a\u0007b")).endsWith("expected text without control characters");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "5    | PT5S",
        "5.0  | PT5S",
        ".5   | PT0.5S",
        "1e1  | PT10S",
        "+2.5E0 | PT2.5S"})
    void decimalNumbersAreAcceptedForSeconds(String value, String expected) throws Exception {
        assertThat(load("may_i_run_interval_seconds", value).lifecycle().mayIRunInterval())
                .isEqualTo(Duration.parse(expected));
    }

    @Test
    void zeroDisablesTheInactivityTimeout() throws Exception {
        assertThat(load("subprocess_inactivity_timeout_seconds", "0").subprocess().inactivityTimeout())
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void emptyPidFileDisablesTheGuard() throws Exception {
        assertThat(load("subprocess_pid_file", "").subprocess().pidFile()).isEmpty();
    }

    @Test
    void readablePemFileIsAccepted() throws Exception {
        Path pem = write(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----", "MIIB", "-----END CERTIFICATE-----");

        assertThat(load("manager_ca_file", pem.toString()).manager().caFile()).contains(pem);
    }

    @Test
    void mayIRunIntervalOfAMinuteOrMoreIsAWarning() throws Exception {
        write(main, "[flamenco-worker]", "may_i_run_interval_seconds = 60");

        assertThat(loader.load().warnings()).singleElement().asString()
                .contains("may_i_run_interval_seconds = 60 is 60 s or more");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "m:8083               | manager_url should be a URL (http://host:port/ or https://host:port/): m:8083",
        "ftp://m/             | manager_url should start with http:// or https://: ftp://m/",
        "http:///path         | manager_url is not a valid URL: http:///path",
        "http://m a/          | manager_url is not a valid URL: http://m a/"})
    void badManagerUrlGivesTheOriginalsMessages(String value, String expected) {
        assertThat(errorFor("manager_url", value)).isEqualTo(main + ": [flamenco-worker] " + expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"'http://m:8083/'", "\"http://m:8083/\""})
    void quotedManagerUrlIsRejected(String value) {
        assertThat(errorFor("manager_url", value))
                .isEqualTo(main + ": [flamenco-worker] manager_url should not be quoted: " + value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://manager:8083/", "https://farm.example.com/flamenco/", "http://10.0.0.5:8083"})
    void validManagerUrlIsAccepted(String url) throws Exception {
        assertThat(load("manager_url", url).manager().uri()).hasValueSatisfying(uri ->
                assertThat(uri.getHost()).isNotEmpty());
    }

    @Test
    void preTaskCheckKeyNotStartingWithReadOrWriteIsAnError() {
        write(main, "[flamenco-worker]", "[pre_task_check]", "write.0 = /tmp", "check = /srv");

        assertThatThrownBy(() -> loader.load())
                .isInstanceOf(ConfigException.class)
                .hasMessage(main + ": [pre_task_check] keys must start with \"read\" or \"write\"; found \"check\"");
    }

    @Test
    void secretsNeverAppearInToString() throws Exception {
        write(main, "[flamenco-worker]", "worker_secret = hunter2", "worker_registration_secret = swordfish");

        LoadedConfig loaded = loader.load();

        assertThat(loaded.config().toString()).doesNotContain("hunter2", "swordfish").contains("***");
        assertThat(loaded.toString()).doesNotContain("hunter2", "swordfish");
        assertThat(loaded.config().manager().registrationSecret().reveal()).isEqualTo("swordfish");
    }

    @Test
    void ofSeveralBadKeys_theOneReadFirstIsReported() {
        write(main, "[flamenco-worker]", "subprocess_nice = 99", "manager_protocol = v9", "push_log_max_entries = 0");

        ConfigException e = catchThrowableOfType(loader::load, ConfigException.class);

        assertThat(e.getMessage()).contains("push_log_max_entries").doesNotContain("subprocess_nice");
    }

    @Test
    void optionalValuesReadBackAsSetOrAbsent() throws Exception {
        write(main, "[flamenco-worker]", "oom_score_adjust = 0", "restart_exit_code = 6");

        WorkerConfig set = loader.load().config();
        WorkerConfig defaults = load("oom_score_adjust", "");

        assertThat(set.subprocess().oomScoreAdjust()).hasValue(0);
        assertThat(set.lifecycle().restartExitCode()).hasValue(6);
        assertThat(defaults.subprocess().oomScoreAdjust()).isEmpty();
        assertThat(defaults.lifecycle().restartExitCode()).isEmpty();
        assertThat(defaults.manager().caFile()).isEmpty();
        assertThat(defaults.subprocess().pidFile()).isPresent();
    }
}
