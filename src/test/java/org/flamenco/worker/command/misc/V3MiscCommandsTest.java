package org.flamenco.worker.command.misc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandContext;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.flamenco.worker.testing.RecordingReporter;
import org.flamenco.worker.testing.TestEnvironments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Flamenco 3's {@code echo}, {@code sleep} and {@code exec} (commands.md §7). */
@Timeout(30)
@ExtendWith(NoLeakedProcesses.class)
class V3MiscCommandsTest {
    @TempDir
    Path dir;
    private final RecordingReporter reporter = new RecordingReporter();

    private void run(Command command, Map<String, ?> parameters) throws Exception {
        var env = TestEnvironments.in(dir);
        command.prepare(new Settings(parameters), env)
                .execute(new CommandContext(command.name(), command.name() + ".(x)", reporter, env));
    }

    @Test
    void echo_logsTheMessageQuoted() throws Exception {
        run(new EchoV3Command(), Map.of("message", "Hello \"farm\"\n"));

        assertThat(reporter.log()).containsExactly("echo: \"Hello \\\"farm\\\"\\n\"");
    }

    @Test
    void echo_acceptsAnyValue() throws Exception {
        run(new EchoV3Command(), Map.of("message", 3));
        run(new EchoV3Command(), Map.of("message", List.of("a", 2.5)));

        assertThat(reporter.log()).containsExactly("echo: \"3\"", "echo: \"[\\\"a\\\",2.5]\"");
    }

    @Test
    void echo_withoutMessage_isInvalid() {
        assertThatThrownBy(() -> run(new EchoV3Command(), Map.of("text", "x"))).hasMessageContaining("\"message\"");
    }

    @Test
    void sleep_waitsAndLogsGoDuration() throws Exception {
        run(new SleepV3Command(), Map.of("duration_in_seconds", 0.05));

        assertThat(reporter.log()).containsExactly("slept 50ms");
    }

    @Test
    void sleep_negativeOrNotANumber_namesParameterValueAndForm() {
        assertThatThrownBy(() -> run(new SleepV3Command(), Map.of("duration_in_seconds", -1)))
                .hasMessage("\"duration_in_seconds\" must be a number of seconds >= 0, not -1");
        assertThatThrownBy(() -> run(new SleepV3Command(), Map.of("duration_in_seconds", "5")))
                .hasMessage("\"duration_in_seconds\" must be a number of seconds >= 0, not a string");
        assertThatThrownBy(() -> run(new SleepV3Command(), Map.of("time_in_seconds", 5)))
                .hasMessageStartingWith("Missing \"duration_in_seconds\"");
    }

    @Test
    void exec_runsExeWithListArguments_numbersWithoutPointZero() throws Exception {
        Path out = dir.resolve("args.txt");

        run(new ExecV3Command(), Map.of("exe", "/bin/sh", "args", List.of("-c", "printf '%s|' \"$@\" > " + out,
                "sh", "a b", 24.0, 23.976)));

        assertThat(Files.readString(out)).isEqualTo("a b|24|23.976|");
    }

    @Test
    void exec_badParameters_areInvalid() {
        Map<String, Object> nullArgs = new HashMap<>();
        nullArgs.put("exe", "/bin/true");
        nullArgs.put("args", "-c true");

        assertThatThrownBy(() -> run(new ExecV3Command(), Map.of("args", List.of())))
                .hasMessageStartingWith("Missing \"exe\"");
        assertThatThrownBy(() -> run(new ExecV3Command(), Map.of("exe", 3)))
                .hasMessage("\"exe\" must be a string, not an integer");
        assertThatThrownBy(() -> run(new ExecV3Command(), nullArgs))
                .hasMessage("\"args\" must be an array, not a string");
    }

    @Test
    void exec_nonZeroExit_fails() {
        assertThatThrownBy(() -> run(new ExecV3Command(), Map.of("exe", "/bin/sh", "args", List.of("-c", "exit 3"))))
                .hasMessageContaining("3");
    }
}
