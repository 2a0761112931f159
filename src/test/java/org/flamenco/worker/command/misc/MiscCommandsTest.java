package org.flamenco.worker.command.misc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandContext;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.testing.RecordingReporter;
import org.flamenco.worker.testing.TestEnvironments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class MiscCommandsTest {
    @TempDir
    Path dir;
    private final RecordingReporter reporter = new RecordingReporter();

    private void run(Command command, Map<String, ?> settings) throws Exception {
        var env = TestEnvironments.in(dir);
        command.prepare(new Settings(settings), env)
                .execute(new CommandContext(command.name(), command.name() + ".(x)", reporter, env));
    }

    private static Map<String, Object> withNull(String key) {
        Map<String, Object> m = new HashMap<>();
        m.put(key, null);
        return m;
    }

    @Test
    void echoWritesTheMessageAsIs() throws Exception {
        run(new EchoCommand(), Map.of("message", "Hello, Render Farm!"));

        assertThat(reporter.log()).containsExactly("Hello, Render Farm!");
    }

    @Test
    void echoValidation() {
        assertThatThrownBy(() -> run(new EchoCommand(), Map.of())).hasMessage("Missing \"message\"");
        assertThatThrownBy(() -> run(new EchoCommand(), Map.of("message", 3))).hasMessage("Message must be a string");
        assertThatThrownBy(() -> run(new EchoCommand(), withNull("message"))).hasMessage("Message must be a string");
    }

    @Test
    void logALotWritesRepeatedLinesWithProgress() throws Exception {
        run(new LogALotCommand(), Map.of("lines", 4.7));

        assertThat(reporter.activities()).containsExactly("logging 4 lines");
        assertThat(reporter.log()).hasSize(4).first().isEqualTo("This is line 0".repeat(30));
        assertThat(reporter.log().get(3)).isEqualTo("This is line 3".repeat(30));
        assertThat(reporter.progress()).containsExactly(0, 25, 50, 75);
    }

    @Test
    void logALotDefaultsTo20000AndNegativeWritesNothing() throws Exception {
        run(new LogALotCommand(), Map.of("lines", -3));
        assertThat(reporter.log()).isEmpty();

        run(new LogALotCommand(), Map.of());
        assertThat(reporter.log()).hasSize(20_000);
    }

    @Test
    void logALotValidation() {
        assertThatThrownBy(() -> run(new LogALotCommand(), Map.of("lines", "many")))
                .hasMessage("\"lines\" setting must be an integer, not a string");
        assertThatThrownBy(() -> run(new LogALotCommand(), Map.of("lines", true)))
                .hasMessage("\"lines\" setting must be an integer, not a boolean");
    }

    @Test
    void sleepWaitsAtLeastTheTimeAndLogsPythonNumbers() throws Exception {
        long start = System.nanoTime();

        run(new SleepCommand(), Map.of("time_in_seconds", 0.2));

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(200_000_000L);
        assertThat(reporter.log()).containsExactly("Sleeping for 0.2 seconds", "Done sleeping for 0.2 seconds");
    }

    @Test
    void sleepWithIntegerAndZero() throws Exception {
        run(new SleepCommand(), Map.of("time_in_seconds", 0));

        assertThat(reporter.log()).containsExactly("Sleeping for 0 seconds", "Done sleeping for 0 seconds");
    }

    @Test
    void sleepValidation() {
        assertThatThrownBy(() -> run(new SleepCommand(), Map.of())).hasMessage("Missing \"time_in_seconds\"");
        assertThatThrownBy(() -> run(new SleepCommand(), Map.of("time_in_seconds", "3")))
                .hasMessage("time_in_seconds must be an int or float");
        assertThatThrownBy(() -> run(new SleepCommand(), Map.of("time_in_seconds", true)))
                .hasMessage("time_in_seconds must be an int or float");
    }

    @Test
    void sleepIsStoppableAtAnyMoment() throws Exception {
        AtomicReference<Thread> thread = new AtomicReference<>();
        CompletableFuture<Void> result = CompletableFuture.runAsync(() -> {
            thread.set(Thread.currentThread());
            try {
                run(new SleepCommand(), Map.of("time_in_seconds", 1000));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        org.awaitility.Awaitility.await().until(() -> reporter.log().size() == 1);

        thread.get().interrupt();

        assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(InterruptedException.class);
        assertThat(reporter.log()).containsExactly("Sleeping for 1000 seconds");
    }

    @Test
    void everyMiscCommandHasItsWireName() {
        assertThat(MiscCommands.v2()).extracting(Command::name).containsExactly("echo", "log_a_lot", "sleep", "exec");
        assertThat(MiscCommands.v3()).extracting(Command::name).containsExactly("echo", "sleep", "exec");
        assertThat(List.of(EchoCommand.NAME, SleepCommand.NAME, LogALotCommand.NAME, ExecCommand.NAME))
                .containsExactly("echo", "sleep", "log_a_lot", "exec");
    }
}
