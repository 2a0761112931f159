package org.flamenco.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.flamenco.worker.config.LoadedConfig;
import org.flamenco.worker.config.RunOptions;
import org.flamenco.worker.daemon.DaemonResult;
import org.flamenco.worker.daemon.LoggingSetup;
import org.flamenco.worker.model.BuildInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.LoggerContext;

class WorkerCliTest {
    private static final String SECRET = "hunter2-secret";
    private static final String REG_SECRET = "swordfish-reg";

    @TempDir
    Path dir;
    Path work;
    Path home;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final LoggerContext logContext = new LoggerContext();
    final List<LoadedConfig> configs = new ArrayList<>();
    final List<RunOptions> options = new ArrayList<>();
    WorkerRunner runner = (config, opts) -> {
        configs.add(config);
        options.add(opts);
        return ExitCode.OK;
    };

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createDirectories(dir.resolve("work"));
        home = Files.createDirectories(dir.resolve("home"));
    }

    @AfterEach
    void tearDown() {
        logContext.stop();
    }

    private int run(String... args) {
        CliEnvironment environment = new CliEnvironment(work, home, new LoggingSetup(logContext, err));
        return WorkerCli.run(environment, runner, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void writeConfig(String... lines) throws Exception {
        Files.writeString(work.resolve("flamenco-worker.cfg"), String.join("\n", lines) + "\n");
    }

    @Test
    void helpReadsLikeAManPageAndExitsZero() {
        int code = run("--help");

        assertThat(code).isZero();
        assertThat(out()).contains("Usage: flamenco-worker", "-c, --config FILE", "-v, --verbose",
                "-r, --reregister", "-d, --debug", "-t, --test", "-1, --single", "-V, --version", "-h, --help",
                "./flamenco-worker.cfg", "~/.flamenco-worker.cfg", "credentials_file",
                "Files written:", "Exit codes:", "143 SIGTERM", "Signals:", "SIGUSR1", "SIGUSR2", "Examples:",
                "flamenco-worker.cfg.example");
        assertThat(out().lines().filter(line -> line.matches("\\s+\\d:.*|\\s+\\d\\s+\\S.*")).count())
                .isGreaterThanOrEqualTo(6);
        assertThat(err()).isEmpty();
        assertThat(configs).isEmpty();
    }

    @Test
    void versionPrintsTheBuildVersionAndExitsZero() {
        int code = run("--version");

        assertThat(code).isZero();
        assertThat(out()).isEqualTo("flamenco-worker " + BuildInfo.version() + System.lineSeparator());
    }

    @Test
    void emptyManagerUrl_saysAtOnceThatDiscoveryRunsHowLongAndHowToSkipIt() throws Exception {
        writeConfig("[flamenco-worker]", "manager_url =", "credentials_file = " + work.resolve("creds.cfg"));

        run();

        assertThat(err()).contains("manager_url is empty: looking for a Flamenco Manager on the local network "
                + "(UPnP/SSDP) for up to 25 s, then exit code 4; set manager_url in "
                + work.resolve("flamenco-worker.cfg") + " to skip discovery");
    }

    @Test
    void noManagerFound_theExitMessageNamesTheFileToFix() throws Exception {
        writeConfig("[flamenco-worker]", "manager_url =", "credentials_file = " + work.resolve("creds.cfg"));
        run();

        DaemonResult result = WorkerCli.noManagerFound(configs.get(0),
                DaemonResult.of(DaemonResult.Kind.NO_MANAGER_FOUND, "no Flamenco Manager found via SSDP"));

        assertThat(result.message()).isEqualTo("no Flamenco Manager found via SSDP; set manager_url in "
                + work.resolve("flamenco-worker.cfg"));
    }

    @Test
    void aSecondWorkerOnTheSameCredentialsFile_isRefusedInOneLineWithExit2() throws Exception {
        writeConfig("[flamenco-worker]", "manager_url = http://127.0.0.1:1/",
                "credentials_file = " + work.resolve("creds.cfg"));
        List<Integer> secondExit = new ArrayList<>();
        ByteArrayOutputStream secondErr = new ByteArrayOutputStream();
        runner = (config, opts) -> { // while the first worker runs, a second starts on the same files
            CliEnvironment environment = new CliEnvironment(work, home, new LoggingSetup(new LoggerContext(),
                    secondErr));
            secondExit.add(WorkerCli.run(environment, (c, o) -> ExitCode.OK, new PrintStream(out, true,
                    StandardCharsets.UTF_8), new PrintStream(secondErr, true, StandardCharsets.UTF_8)));
            return ExitCode.OK;
        };

        int first = run();

        assertThat(first).isEqualTo(ExitCode.OK);
        assertThat(secondExit).containsExactly(ExitCode.USAGE);
        assertThat(secondErr.toString(StandardCharsets.UTF_8)).isEqualTo("Credentials file "
                + work.resolve("creds.cfg") + " is in use by another worker (pid " + ProcessHandle.current().pid()
                + ", lock " + work.resolve("creds.cfg.lock") + "); give each worker instance its own "
                + "credentials_file" + System.lineSeparator());
    }

    @Test
    void unknownFlagPrintsShortUsageOnStderrAndExitsTwo() {
        int code = run("--frobnicate");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("Unknown option: '--frobnicate'", "flamenco-worker [-", "--help")
                .doesNotContain("Exit codes:");
        assertThat(out()).isEmpty();
        assertThat(configs).isEmpty();
    }

    @Test
    void missingConfigFileIsOneLineOnStderrAndExitTwo() {
        int code = run();

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err()).startsWith("Config file " + work.resolve("flamenco-worker.cfg") + " does not exist; "
                + "to start, copy flamenco-worker.cfg.example").hasLineCount(1);
        assertThat(configs).isEmpty();
    }

    @Test
    void invalidValueIsOneLineOnStderrAndExitTwo() throws Exception {
        writeConfig("[flamenco-worker]", "push_log_max_entries = lots");

        int code = run();

        assertThat(code).isEqualTo(2);
        assertThat(err().lines().toList()).containsExactly(work.resolve("flamenco-worker.cfg")
                + ": [flamenco-worker] push_log_max_entries = \"lots\": expected an integer of at least 1");
    }

    @Test
    void unknownKeyOnlyWarnsAndTheWorkerRuns() throws Exception {
        writeConfig("[flamenco-worker]", "colour = blue");

        int code = run();

        assertThat(code).isZero();
        assertThat(err()).contains("WARNING", "unknown key \"colour\" ignored");
        assertThat(configs).hasSize(1);
    }

    @Test
    void startupLinesAreLoggedAfterLoggingIsSetUp() throws Exception {
        writeConfig("[flamenco-worker]");

        run();

        assertThat(err()).contains("INFO org.flamenco.worker.startup Starting Flamenco Worker " + BuildInfo.version(),
                "Working directory: " + work, "Loading configuration from [" + work.resolve("flamenco-worker.cfg"),
                "Configuration files read: [" + work.resolve("flamenco-worker.cfg") + "]");
    }

    @Test
    void loggingSectionsOfTheConfigurationAreApplied() throws Exception {
        writeConfig("[flamenco-worker]", "[logger_root]", "level = WARNING", "handlers = file",
                "[logger_flamenco_worker]", "level = INFO", "handlers = file", "[handler_file]",
                "class = logging.handlers.TimedRotatingFileHandler",
                "args = ('logs/worker.log', 'midnight', 1, 7, 'utf8', True, True)");

        int code = run();
        logContext.stop();

        assertThat(code).isZero();
        assertThat(Files.readString(work.resolve("logs/worker.log")))
                .contains("INFO org.flamenco.worker.startup Starting Flamenco Worker");
        assertThat(err()).doesNotContain("Starting Flamenco Worker");
    }

    @Test
    void explicitConfigFileIsPassedToTheLoader() throws Exception {
        Files.writeString(work.resolve("other.cfg"), "[flamenco-worker]\ntask_types = only-this\n");

        int code = run("-c", "other.cfg");

        assertThat(code).isZero();
        assertThat(configs.get(0).config().taskTypes()).containsExactly("only-this");
    }

    @Test
    void flagsReachTheWorkerAndTestAndReregisterAreApplied() throws Exception {
        writeConfig("[flamenco-worker]", "worker_id = 0123456789abcdef01234567", "worker_secret = " + SECRET);

        int code = run("-t", "-r", "-1", "-d");

        assertThat(code).isZero();
        assertThat(options).containsExactly(new RunOptions(false, true, true, true, true));
        LoadedConfig loaded = configs.get(0);
        assertThat(loaded.config().taskTypes()).containsExactly("test-blender-render");
        assertThat(loaded.config().credentials().workerId()).isEmpty();
        assertThat(loaded.config().credentials().secret().isEmpty()).isTrue();
        assertThat(err()).contains("Test mode", "--reregister", "the old worker entry stays on the Manager",
                "Single-task mode");
        assertThat(Files.readString(work.resolve("flamenco-worker.cfg"))).contains(SECRET);
    }

    @Test
    void verboseDumpAndDebugLoggingNeverShowSecrets() throws Exception {
        writeConfig("[flamenco-worker]", "worker_id = 0123456789abcdef01234567", "worker_secret = " + SECRET,
                "worker_registration_secret = " + REG_SECRET);
        runner = (config, opts) -> {
            logContext.getLogger("org.flamenco.worker.agent.X").debug("config {} / {}", config, config.config());
            return ExitCode.OK;
        };

        int code = run("-v", "-d");

        assertThat(code).isZero();
        assertThat(err()).contains("# Effective configuration", "[flamenco-worker]", "worker_secret = ***",
                "worker_registration_secret = ***", "config LoadedConfig[")
                .doesNotContain(SECRET, REG_SECRET);
        assertThat(out()).doesNotContain(SECRET, REG_SECRET);
    }

    @Test
    void exitCodeOfTheWorkerIsTheProcessExitCode() throws Exception {
        writeConfig("[flamenco-worker]");
        runner = (config, opts) -> ExitCode.REGISTRATION_REFUSED;

        assertThat(run()).isEqualTo(3);
    }

    @Test
    void unexpectedExceptionExitsOne() throws Exception {
        writeConfig("[flamenco-worker]");
        runner = (config, opts) -> {
            throw new IllegalStateException("bug");
        };

        int code = run();

        assertThat(code).isEqualTo(ExitCode.INTERNAL_ERROR);
        assertThat(err()).contains("ERROR org.flamenco.worker.cli.WorkerCli Unexpected internal error",
                "java.lang.IllegalStateException: bug", "\tat ");
    }
}
