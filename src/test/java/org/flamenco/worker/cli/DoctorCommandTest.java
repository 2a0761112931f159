package org.flamenco.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.daemon.LoggingSetup;
import org.flamenco.worker.embedded.EmbeddedManager;
import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.manager.v2.V2ManagerApi;
import org.flamenco.worker.manager.v2.V2Settings;
import org.flamenco.worker.model.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.LoggerContext;

/** {@code flamenco-worker doctor} end to end: real files, the embedded Manager on loopback, real processes. */
@Timeout(60)
class DoctorCommandTest {
    private static final String SECRET = "doctor-test-secret-0123456789";

    @TempDir
    Path dir;
    Path work;
    Path home;
    Path credentials;
    EmbeddedManager manager;
    final List<Process> started = new ArrayList<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final LoggerContext logContext = new LoggerContext();

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createDirectories(dir.resolve("work"));
        home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(work.resolve("queue"));
        Files.createDirectories(work.resolve("shared"));
        credentials = work.resolve("credentials.cfg");
        manager = new EmbeddedManager().start();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : started) {
            p.destroyForcibly().waitFor();
        }
        manager.close();
        logContext.stop();
    }

    private int doctor(String... args) {
        CliEnvironment environment = new CliEnvironment(work, home, new LoggingSetup(logContext, err));
        List<String> all = new ArrayList<>(List.of("doctor"));
        all.addAll(List.of(args));
        return WorkerCli.run(environment, (config, options) -> {
            throw new AssertionError("doctor must not run the worker");
        }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                all.toArray(String[]::new));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The output line of one check. */
    private String line(String check) {
        return out().lines().filter(l -> l.matches("\\S+\\s+" + check + "\\s.*")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + check + " in:\n" + out()));
    }

    /** A configuration for a healthy node; {@code extraLines} replace or add keys of [flamenco-worker]. */
    private void writeConfig(String... extraLines) throws Exception {
        List<String> lines = new ArrayList<>(List.of("[flamenco-worker]",
                "manager_url = " + manager.url(),
                "task_types = sleep file-management",
                "credentials_file = " + credentials,
                "task_update_queue_db = " + work.resolve("queue/flamenco-worker.db"),
                "subprocess_pid_file = " + work.resolve("subprocess.pid")));
        for (String extra : extraLines) { // "key = value" replaces that key's line
            String key = extra.substring(0, extra.indexOf('=')).strip();
            lines.removeIf(l -> l.startsWith(key + " ="));
            lines.add(extra);
        }
        lines.addAll(List.of("", "[pre_task_check]", "read.0 = " + work.resolve("shared"),
                "write.0 = " + work.resolve("shared")));
        Files.writeString(work.resolve("flamenco-worker.cfg"), String.join("\n", lines) + "\n");
    }

    /** Registers with the embedded Manager and stores the credentials as the worker would (mode 0600). */
    private String registerAndStoreCredentials() throws Exception {
        String id;
        try (V2ManagerApi api = new V2ManagerApi(V2Settings.defaults(manager.url().toString()), new SystemClock())) {
            id = api.register(new Registration(Secret.of(SECRET), "linux", List.of("sleep"), "doctor-node",
                    Secret.empty()));
        }
        storeCredentials(id, SECRET);
        return id;
    }

    private void storeCredentials(String id, String secret) throws Exception {
        Files.writeString(credentials, "[flamenco-worker]\nworker_id = " + id + "\nworker_secret = " + secret + "\n");
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void wellSetUpNode_everyCheckOkAndExitZero() throws Exception {
        writeConfig();
        String id = registerAndStoreCredentials();

        int code = doctor();

        assertThat(code).as(out()).isZero();
        assertThat(out().lines()).hasSize(12).allSatisfy(l -> assertThat(l).startsWith("ok "));
        assertThat(line("config")).contains(work.resolve("flamenco-worker.cfg").toString(), credentials.toString());
        assertThat(line("manager")).contains(manager.url().toString(), "speaks Flamenco v2");
        assertThat(line("credentials")).contains("worker " + id + " (from " + credentials + ") is accepted");
        assertThat(line("queue")).contains("will be created");
        assertThat(out()).doesNotContain(SECRET);
        assertThat(manager.worker(id).orElseThrow().status()).isNotEqualTo("awake");
    }

    @Test
    void configThatDoesNotLoad_isOneFailLineAndExitTwo() throws Exception {
        writeConfig("push_log_max_entries = lots");

        int code = doctor();

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(out().lines()).singleElement().asString()
                .startsWith("FAIL  config").contains("push_log_max_entries", "lots");
    }

    @Test
    void missingExplicitConfigFile_exitTwo() {
        int code = doctor("-c", "nope.cfg");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(out()).contains("FAIL", work.resolve("nope.cfg") + " does not exist");
    }

    @Test
    void managerDown_failsNamingTheReasonAndExitOne() throws Exception {
        writeConfig();
        registerAndStoreCredentials();
        manager.stop();

        int code = doctor();

        assertThat(code).isEqualTo(DoctorCommand.CHECK_FAILED);
        assertThat(line("manager")).startsWith("FAIL").contains("connection refused", "hint:", "manager_url");
        assertThat(line("credentials")).startsWith("warn").contains("not checked");
    }

    @Test
    void wrongCredentials_fail() throws Exception {
        writeConfig();
        registerAndStoreCredentials();
        storeCredentials("0123456789abcdef01234567", "not-the-secret");

        int code = doctor();

        assertThat(code).isEqualTo(DoctorCommand.CHECK_FAILED);
        assertThat(line("credentials")).startsWith("FAIL").contains("0123456789abcdef01234567", "refused", "401",
                "flamenco-worker -r");
        assertThat(out()).doesNotContain("not-the-secret");
    }

    @Test
    void missingCredentials_warnThatTheWorkerRegistersAtFirstStart() throws Exception {
        writeConfig();

        int code = doctor();

        assertThat(code).as(out()).isZero();
        assertThat(line("credentials")).startsWith("warn").contains("registers at its first start");
        assertThat(line("credentials-file")).startsWith("ok").contains("does not exist yet");
    }

    @Test
    void worldReadableCredentialsFile_warnsWithChmod() throws Exception {
        writeConfig();
        registerAndStoreCredentials();
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-r--r--"));

        int code = doctor();

        assertThat(code).as(out()).isZero();
        assertThat(line("credentials-file")).startsWith("warn").contains("rw-r--r--", "chmod 600 " + credentials);
    }

    @Test
    void queueDirectoryThatCannotHoldTheDatabase_fails() throws Exception {
        Path blocker = Files.writeString(work.resolve("not-a-dir"), "x");
        writeConfig("task_update_queue_db = " + blocker.resolve("flamenco-worker.db"));

        int code = doctor();

        assertThat(code).isEqualTo(DoctorCommand.CHECK_FAILED);
        assertThat(line("queue")).startsWith("FAIL").contains(blocker + " of task_update_queue_db is not a "
                + "directory", "write access");
    }

    @Test
    void missingQueueDirectory_failsWithMkdirHint() throws Exception {
        writeConfig("task_update_queue_db = " + work.resolve("gone/flamenco-worker.db"));

        int code = doctor();

        assertThat(code).isEqualTo(DoctorCommand.CHECK_FAILED);
        assertThat(line("queue")).startsWith("FAIL").contains("does not exist", "mkdir -p " + work.resolve("gone"));
    }

    @Test
    void existingQueue_isOpenedReadOnlyAndReportsWaitingUpdates() throws Exception {
        writeConfig();
        Path db = work.resolve("queue/flamenco-worker.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE task_update_outbox (seq INTEGER PRIMARY KEY, payload TEXT)");
            st.execute("INSERT INTO task_update_outbox (payload) VALUES ('a'), ('b')");
        }
        long sizeBefore = Files.size(db);

        doctor();

        assertThat(line("queue")).startsWith("ok").contains("healthy", "2 update(s) waiting");
        assertThat(Files.size(db)).isEqualTo(sizeBefore);
    }

    @Test
    void stoppedWorkersWalQueue_isReadWithoutLeavingWalOrShmFilesBehind() throws Exception {
        writeConfig();
        Path db = work.resolve("queue/flamenco-worker.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            st.execute("CREATE TABLE task_update_outbox (seq INTEGER PRIMARY KEY, payload TEXT)");
            st.execute("INSERT INTO task_update_outbox (payload) VALUES ('a')");
        } // the last connection of a clean exit removes -wal and -shm

        doctor();

        assertThat(line("queue")).startsWith("ok").contains("healthy", "1 update(s) waiting");
        assertThat(work.resolve("queue/flamenco-worker.db-wal")).doesNotExist();
        assertThat(work.resolve("queue/flamenco-worker.db-shm")).doesNotExist();
    }

    @Test
    void queueFileThatIsNotADatabase_warnsItWillBeMovedAside() throws Exception {
        writeConfig();
        Files.writeString(work.resolve("queue/flamenco-worker.db"), "this is not sqlite, just text ".repeat(40));

        doctor();

        assertThat(line("queue")).startsWith("warn").contains("moves it aside");
    }

    @Test
    void missingPreTaskPath_fails() throws Exception {
        writeConfig();
        Files.writeString(work.resolve("flamenco-worker.cfg"), "read.1 = " + work.resolve("render-farm-mount")
                + "\n", java.nio.file.StandardOpenOption.APPEND);

        int code = doctor();

        assertThat(code).isEqualTo(DoctorCommand.CHECK_FAILED);
        assertThat(line("pre-task-check")).startsWith("FAIL")
                .contains(work.resolve("render-farm-mount") + " does not exist", "[pre_task_check]");
    }

    @Test
    void pidFileOfALiveProcess_fails() throws Exception {
        writeConfig();
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        started.add(sleeper);
        Files.writeString(work.resolve("subprocess.pid"), Long.toString(sleeper.pid()));

        int code = doctor();

        assertThat(code).isEqualTo(DoctorCommand.CHECK_FAILED);
        assertThat(line("subprocess-pid-file")).startsWith("FAIL")
                .contains("is still running: pid=" + sleeper.pid());
        assertThat(sleeper.isAlive()).isTrue();
    }

    @Test
    void stalePidFile_isOk() throws Exception {
        writeConfig();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(work.resolve("subprocess.pid"), Long.toString(gone.pid()));

        doctor();

        assertThat(line("subprocess-pid-file")).startsWith("ok");
        assertThat(line("memory-and-oom")).matches(".*memory \\d+\\.\\d GiB \\(.* available\\), swap .*; "
                + "a test child ran with oom_score_adj 500 and nice 0; .*");
    }

    @Test
    void json_isOneObjectWithEveryCheck() throws Exception {
        writeConfig();
        registerAndStoreCredentials();
        storeCredentials("0123456789abcdef01234567", "not-the-secret");

        int code = doctor("--json");

        assertThat(code).isEqualTo(DoctorCommand.CHECK_FAILED);
        JsonNode root = new ObjectMapper().readTree(out());
        assertThat(root.get("ok").isBoolean()).isTrue();
        assertThat(root.get("ok").booleanValue()).isFalse();
        assertThat(root.get("checks")).hasSize(12);
        List<String> names = new ArrayList<>();
        for (JsonNode check : root.get("checks")) {
            assertThat(check.get("status").asText()).isIn("ok", "warn", "fail");
            assertThat(check.has("detail")).isTrue();
            assertThat(check.has("hint")).isTrue();
            names.add(check.get("name").asText());
        }
        assertThat(names).containsExactly("config", "manager", "credentials", "credentials-file", "queue",
                "pre-task-check", "subprocess-pid-file", "blender", "ffmpeg", "disk-space", "memory-and-oom",
                "subprocess-launcher");
        assertThat(root.get("checks").get(2).get("status").asText()).isEqualTo("fail");
        assertThat(out()).doesNotContain("not-the-secret");
    }

    @Test
    void jsonForAConfigThatDoesNotLoad_hasOnlyTheConfigCheck() throws Exception {
        writeConfig("manager_url = 'http://quoted'");

        int code = doctor("--json");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        Map<?, ?> root = new ObjectMapper().readValue(out(), Map.class);
        assertThat(root.get("ok")).isEqualTo(false);
        assertThat((List<?>) root.get("checks")).singleElement().asString().contains("config", "fail", "quoted");
    }

    @Test
    void unknownOption_isAUsageErrorExitTwo() {
        int code = doctor("--frobnicate");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option: '--frobnicate'");
        assertThat(out()).isEmpty();
    }

    @Test
    void helpDocumentsTheExitCodes() {
        int code = doctor("--help");

        assertThat(code).isZero();
        assertThat(out()).contains("Usage: flamenco-worker doctor", "--json", "-c, --config FILE", "Exit codes:",
                "0   every check is ok", "1   at least one check FAILed", "2   usage error");
    }
}
