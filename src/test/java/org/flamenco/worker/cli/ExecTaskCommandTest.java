package org.flamenco.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.flamenco.worker.daemon.LoggingSetup;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.LoggerContext;
import sun.misc.Signal;

@Timeout(60)
@ExtendWith(NoLeakedProcesses.class)
class ExecTaskCommandTest {
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00: ";

    @TempDir
    Path dir;
    Path work;
    Path home;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final LoggerContext logContext = new LoggerContext();

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
        WorkerRunner noWorker = (config, options) -> {
            throw new AssertionError("exec-task must not start the worker");
        };
        return WorkerCli.run(environment, noWorker, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private List<String> outLines() {
        return out().lines().toList();
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path task(String json) throws Exception {
        return Files.writeString(work.resolve("task.json"), json);
    }

    private static String commands(String... commands) {
        return "{\"commands\": [" + String.join(", ", commands) + "]}";
    }

    @Test
    void echoAndExec_completeWithExitZeroAndTimestampedLogLines() throws Exception {
        task("{\"_id\": \"5e2f1a0c9b1d4a0012345678\", \"name\": \"hello\", \"commands\": ["
                + "{\"name\": \"echo\", \"settings\": {\"message\": \"hello there\"}},"
                + "{\"name\": \"exec\", \"settings\": {\"cmd\": \"sh -c 'echo hi'\"}}]}");

        int code = run("exec-task", "task.json");

        assertThat(code).isZero();
        assertThat(outLines()).anyMatch(line -> line.matches(TIMESTAMP + ".*hello there"))
                .anyMatch(line -> line.matches(TIMESTAMP + "pid=\\d+ > hi"))
                .contains(">> status: active", ">> status: completed");
        assertThat(outLines().get(outLines().size() - 1)).startsWith("Task 5e2f1a0c9b1d4a0012345678 completed: ");
        assertThat(err()).isEmpty();
    }

    @Test
    void flamenco3Document_runsWithTheV3Commands() throws Exception {
        task("{\"uuid\": \"01234567-89ab-4cde-8f01-23456789abcd\", \"name\": \"v3\", \"commands\": ["
                + "{\"name\": \"echo\", \"parameters\": {\"message\": \"hi\"}, \"total_step_count\": 0},"
                + "{\"name\": \"exec\", \"parameters\": {\"exe\": \"/bin/sh\", \"args\": [\"-c\", \"echo ok\"]},"
                + " \"total_step_count\": 0}]}");

        int code = run("exec-task", "task.json");

        assertThat(code).as(out() + err()).isZero();
        assertThat(out()).contains("echo: \"hi\"").contains("> ok");
        assertThat(outLines().get(outLines().size() - 1))
                .startsWith("Task 01234567-89ab-4cde-8f01-23456789abcd completed");
    }

    @Test
    void flamenco3Document_withAV2Command_isAUsageError() throws Exception {
        task("{\"uuid\": \"01234567-89ab-4cde-8f01-23456789abcd\", \"commands\": ["
                + "{\"name\": \"move_out_of_way\", \"parameters\": {\"src\": \"x\"}}]}");

        int code = run("exec-task", "task.json");

        assertThat(code).isEqualTo(2);
        assertThat(err()).contains("unknown command name 'move_out_of_way'").contains("make-directory");
    }

    @Test
    void documentWithoutId_runsAsTheZeroId() throws Exception {
        task(commands("{\"name\": \"echo\", \"settings\": {\"message\": \"bare\"}}"));

        int code = run("exec-task", "task.json");

        assertThat(code).isZero();
        assertThat(outLines().get(outLines().size() - 1)).startsWith("Task 000000000000000000000000 completed");
    }

    @Test
    void failingExec_exitsOneAndTheLastLineNamesTheCommand() throws Exception {
        task(commands("{\"name\": \"echo\", \"settings\": {\"message\": \"one\"}}, "
                + "{\"name\": \"exec\", \"settings\": {\"cmd\": \"sh -c 'exit 3'\"}}, "
                + "{\"name\": \"echo\", \"settings\": {\"message\": \"three\"}}"));

        int code = run("exec-task", "task.json");

        assertThat(code).isEqualTo(1);
        String last = outLines().get(outLines().size() - 1);
        assertThat(last).startsWith("Task 000000000000000000000000 failed at command 2 of 3 (exec): Error executing: ")
                .contains("status 3").doesNotContain("command_idx");
        assertThat(outLines()).contains(">> status: failed");
    }

    @Test
    void invalidSetting_isAFailedTaskWithTheRunnersMessage() throws Exception {
        task(commands("{\"name\": \"echo\", \"settings\": {\"message\": 42}}"));

        int code = run("exec-task", "task.json");

        assertThat(code).isEqualTo(1);
        assertThat(outLines().get(outLines().size() - 1)).contains("failed at command 1 of 1 (echo): Invalid settings");
    }

    @Test
    void badJson_isOneLineOnStderrAndExitTwo() throws Exception {
        task("{\"commands\": [");

        int code = run("exec-task", "task.json");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err().lines().toList()).singleElement().asString()
                .startsWith("exec-task: task.json: not valid JSON at line 1");
        assertThat(out()).isEmpty();
    }

    @Test
    void missingFile_isOneLineOnStderrAndExitTwo() {
        int code = run("exec-task", "nope.json");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err()).isEqualTo("exec-task: nope.json: no such file" + System.lineSeparator());
    }

    @Test
    void unknownCommand_isOneLineNamingItAndExitTwo() throws Exception {
        task(commands("{\"name\": \"echo\", \"settings\": {\"message\": \"x\"}}",
                "{\"name\": \"frobnicate\", \"settings\": {}}"));

        int code = run("exec-task", "task.json");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err().lines().toList()).singleElement().asString()
                .startsWith("exec-task: task.json: command 1 has unknown command name 'frobnicate'");
        assertThat(out()).isEmpty();
    }

    @Test
    void documentWithoutCommandsList_isExitTwo() throws Exception {
        task("{\"_id\": \"5e2f1a0c9b1d4a0012345678\"}");

        int code = run("exec-task", "task.json");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("task.json: no \"commands\" list");
    }

    @Test
    void configFileSetsThePidFileTheSubprocessUses() throws Exception {
        Path pidFile = dir.resolve("custom.pid");
        Files.writeString(dir.resolve("exec.cfg"), "[flamenco-worker]\nsubprocess_pid_file = " + pidFile + "\n");
        // The worker writes the file once the child has started, so the child waits for it (up to 5 s).
        task(commands("{\"name\": \"exec\", \"settings\": {\"cmd\": \"sh -c 'for i in $(seq 500); do [ -s "
                + pidFile + " ] && break; sleep 0.01; done; cat " + pidFile + "'\"}}"));

        int code = run("exec-task", "-c", dir.resolve("exec.cfg").toString(), "task.json");

        assertThat(code).isZero();
        assertThat(outLines()).anyMatch(line -> line.matches(TIMESTAMP + ".*\\d+"));
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void missingExplicitConfig_isExitTwo() throws Exception {
        task(commands("{\"name\": \"echo\", \"settings\": {\"message\": \"x\"}}"));

        int code = run("exec-task", "-c", "missing.cfg", "task.json");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("missing.cfg does not exist");
    }

    @Test
    void ctrlC_stopsTheTaskKillsItsProcessesAndExits130() throws Exception {
        // A build started as a background job of a script runs with SIGINT ignored, and the JVM then keeps it so:
        // there is no Ctrl+C to test.
        Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored in this process (started in the background)");
        task(commands("{\"name\": \"exec\", \"settings\": {\"cmd\": \"sh -c 'echo started; sleep 30'\"}}"));
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> run("exec-task", "task.json"));
        await().atMost(Duration.ofSeconds(20)).until(() -> out().contains("started"));

        Signal.raise(new Signal("INT"));

        assertThat(code.get()).isEqualTo(130);
        assertThat(out()).contains("Task stopped by Ctrl+C (SIGINT)");
        assertThat(outLines().get(outLines().size() - 1)).startsWith("Task 000000000000000000000000 stopped");
    }

    @Test
    void sigterm_stopsTheTaskKillsItsProcessesAndExits143() throws Exception {
        String marker = "exec-task-term-" + ProcessHandle.current().pid();
        task(commands("{\"name\": \"exec\", \"settings\": {\"cmd\": \"sh -c 'echo started; sleep 30; echo "
                + marker + "'\"}}"));
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> run("exec-task", "task.json"));
        await().atMost(Duration.ofSeconds(20)).until(() -> out().contains("> started"));

        // exec-task handles SIGTERM while its task runs (else this would end the test JVM), then restores the JVM's own
        Signal.raise(new Signal("TERM"));

        assertThat(code.get()).isEqualTo(143);
        assertThat(out()).contains("Task stopped by SIGTERM");
        assertThat(outLines().get(outLines().size() - 1))
                .startsWith("Task 000000000000000000000000 stopped by SIGTERM");
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains(marker))).isEmpty();
    }

    /** Whether this process started with SIGINT ignored (Linux: the {@code SigIgn} mask of /proc/self/status). */
    private static boolean sigintIgnored() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
                return (mask & (1L << (2 - 1))) != 0; // SIGINT is signal 2
            }
        }
        return false;
    }

    @Test
    void nonObjectDocument_isExitTwo() throws Exception {
        task("[1, 2]");

        int code = run("exec-task", "task.json");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err()).startsWith("exec-task: task.json: not a JSON object");
    }

    @Test
    void commandWithoutSettingsObject_isExitTwo() throws Exception {
        task(commands("{\"name\": \"echo\", \"settings\": \"message=hi\"}"));

        int code = run("exec-task", "task.json");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err()).startsWith("exec-task: task.json: command 0 (echo) has no \"settings\" object");
    }

    @Test
    void commandThatIsNotAnObject_isExitTwo() throws Exception {
        task(commands("{\"name\": \"echo\", \"settings\": {\"message\": \"hi\"}}", "\"echo\""));

        int code = run("exec-task", "task.json");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err()).startsWith("exec-task: task.json: command 1 is not a JSON object");
    }

    @Test
    void commandWithoutName_isExitTwo() throws Exception {
        task(commands("{\"name\": \"\", \"settings\": {}}"));

        int code = run("exec-task", "task.json");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err()).startsWith("exec-task: task.json: command 0 has no \"name\"");
    }

    @Test
    void unknownCommandWithMalformedSettings_namesTheUnknownCommandFirst() throws Exception {
        task(commands("{\"name\": \"frobnicate\", \"settings\": 3}"));

        int code = run("exec-task", "task.json");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err()).startsWith("exec-task: task.json: command 0 has unknown command name 'frobnicate'");
    }

    @Test
    void flamenco3MalformedStepCount_isAFailedTaskExitOne() throws Exception {
        task("{\"uuid\": \"b8d3e5a4-2d8c-4c1f-9a57-3f3c2d1e0a11\", \"commands\": ["
                + "{\"name\": \"echo\", \"parameters\": {\"message\": \"hi\"}, \"total_step_count\": -1}]}");

        int code = run("exec-task", "task.json");

        assertThat(code).isEqualTo(ExitCode.INTERNAL_ERROR);
        assertThat(outLines().get(outLines().size() - 1)).contains("malformed total_step_count -1");
    }

    @Test
    void helpDescribesExitCodesAndTheExample() {
        int code = run("exec-task", "--help");

        assertThat(code).isZero();
        assertThat(out()).contains("Usage: flamenco-worker exec-task", "FILE.json", "130", "Ctrl+C",
                "examples/exec-task-hello.json");
    }

    @Test
    void theReadmeExampleCompletes() throws Exception {
        Path example = Path.of("examples", "exec-task-hello.json").toAbsolutePath();

        int code = run("exec-task", example.toString());

        assertThat(code).isZero();
        assertThat(outLines()).anyMatch(line -> line.matches(TIMESTAMP + "pid=\\d+ > hi from a subprocess"));
        assertThat(outLines().get(outLines().size() - 1)).startsWith("Task 5e2f1a0c9b1d4a0012345678 completed");
    }
}
