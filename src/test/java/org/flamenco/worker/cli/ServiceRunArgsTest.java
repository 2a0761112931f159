package org.flamenco.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.flamenco.worker.config.LoadedConfig;
import org.flamenco.worker.config.RunOptions;
import org.flamenco.worker.daemon.LoggingSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ch.qos.logback.classic.LoggerContext;

/** Issue 24: a service run's plain options are taken without picocli, with exactly picocli's meaning. */
class ServiceRunArgsTest {
    @TempDir
    Path dir;
    Path work;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final LoggerContext logContext = new LoggerContext();
    final List<LoadedConfig> configs = new ArrayList<>();
    final List<RunOptions> options = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(dir.resolve("other.cfg"), "[flamenco-worker]\nmanager_url = http://127.0.0.1:1/\n"
                + "credentials_file = " + dir.resolve("creds.cfg") + "\n");
    }

    @AfterEach
    void tearDown() {
        logContext.stop();
    }

    private int run(String... args) {
        CliEnvironment environment = new CliEnvironment(work, dir.resolve("home"), new LoggingSetup(logContext, err));
        return WorkerCli.run(environment, (config, opts) -> {
            configs.add(config);
            options.add(opts);
            return 7;
        }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
    }

    private static boolean takenWithoutPicocli(String... args) {
        WorkerCli cli = new WorkerCli(new CliEnvironment(Path.of("."), Path.of("."),
                new LoggingSetup(new LoggerContext(), new ByteArrayOutputStream())), (c, o) -> 0,
                new PrintWriter(new ByteArrayOutputStream()));
        return cli.serviceRun(args);
    }

    @Test
    void plainOptions_meanWhatPicocliMakesOfThem() {
        int code = run("--config", dir.resolve("other.cfg").toString(), "-v", "--reregister", "-d", "--test",
                "--single");

        assertThat(code).isEqualTo(7);
        assertThat(configs.get(0).mainFile()).isEqualTo(dir.resolve("other.cfg"));
        assertThat(options.get(0)).isEqualTo(new RunOptions(true, true, true, true, true));
    }

    @Test
    void noOptions_runTheWorkerWithTheDefaults() throws Exception {
        Files.writeString(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]\n"
                + "credentials_file = " + dir.resolve("creds.cfg") + "\n");

        assertThat(run()).isEqualTo(7);
        assertThat(options.get(0)).isEqualTo(new RunOptions(false, false, false, false, false));
        assertThat(takenWithoutPicocli()).isTrue();
        assertThat(takenWithoutPicocli("-c", "x.cfg", "-1", "--debug")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-dv", "-d -d", "-d --debug", "-c", "-c a -c b", "--config=a.cfg", "-ca.cfg", "-c -d",
        "--help", "-h", "-V", "doctor", "demo --help", "--", "@args.txt", "--bogus", "-x"})
    void everyOtherForm_goesToPicocli(String args) {
        assertThat(takenWithoutPicocli(args.split(" "))).as(args).isFalse();
    }

    @Test
    void aRepeatedFlag_isPicocliUsageError() {
        int code = run("-c", dir.resolve("other.cfg").toString(), "-d", "--debug");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("should be specified only once");
        assertThat(configs).isEmpty();
    }

    @Test
    void anUnreadableConfigFile_isTheOneLineConfigError() {
        int code = run("-c", dir.resolve("missing.cfg").toString());

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.cfg");
        assertThat(configs).isEmpty();
    }
}
