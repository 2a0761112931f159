package org.flamenco.worker.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.flamenco.worker.config.LoggingSettings;
import org.flamenco.worker.config.LoggingSettings.LogFile;
import org.flamenco.worker.config.LoggingSettings.LogLevel;
import org.flamenco.worker.config.LoggingSettings.Rotation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.LoggerContext;

class LoggingSetupTest {
    private static final LoggingSettings CONSOLE_ONLY =
            new LoggingSettings(LogLevel.WARNING, LogLevel.INFO, true, Optional.empty());

    @TempDir
    Path dir;
    final LoggerContext context = new LoggerContext();
    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    final LoggingSetup setup = new LoggingSetup(context, console);

    @AfterEach
    void tearDown() {
        context.stop();
    }

    private String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void linesHaveLocalTimeWithMillisRightAlignedLevelLoggerAndMessage() {
        setup.apply(CONSOLE_ONLY, false);

        setup.logger("org.flamenco.worker.task.TaskRunner").info("Task {} started", "t1");
        setup.logger("org.flamenco.worker.task.TaskRunner").warn("careful");

        assertThat(console()).matches(
                "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}     INFO org.flamenco.worker.task.TaskRunner Task t1 "
                        + "started\\R"
                        + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}  WARNING "
                        + "org.flamenco.worker.task.TaskRunner careful\\R");
    }

    @Test
    void libraryLoggersUseTheRootLevelAndWorkerLoggersTheWorkerLevel() {
        setup.apply(CONSOLE_ONLY, false);

        setup.logger("okhttp3.OkHttpClient").info("library info");
        setup.logger("okhttp3.OkHttpClient").warn("library warning");
        setup.logger("org.flamenco.worker.agent.FetchLoop").info("worker info");
        setup.logger("org.flamenco.worker.agent.FetchLoop").debug("worker debug");

        assertThat(console()).contains("library warning", "worker info")
                .doesNotContain("library info", "worker debug");
    }

    @Test
    void debugFlagForcesDebugForWorkerLoggersOnly() {
        setup.apply(CONSOLE_ONLY, true);

        setup.logger("org.flamenco.worker.agent.FetchLoop").debug("worker debug");
        setup.logger("okhttp3.OkHttpClient").debug("library debug");

        assertThat(console()).contains("   DEBUG org.flamenco.worker.agent.FetchLoop worker debug")
                .doesNotContain("library debug");
    }

    @Test
    void startupLinesAreShownEvenWhenTheWorkerLevelIsError() {
        setup.apply(new LoggingSettings(LogLevel.ERROR, LogLevel.ERROR, true, Optional.empty()), false);

        setup.logger(LoggingSetup.STARTUP_LOGGER).info("Starting Flamenco Worker 1.0");
        setup.logger("org.flamenco.worker.agent.FetchLoop").info("hidden");

        assertThat(console()).contains("Starting Flamenco Worker 1.0").doesNotContain("hidden");
    }

    @Test
    void fileHandlerWritesTheSameLinesAndConsoleCanBeOff() throws Exception {
        Path log = dir.resolve("logs/worker.log");
        setup.apply(new LoggingSettings(LogLevel.WARNING, LogLevel.INFO, false,
                Optional.of(new LogFile(log, Rotation.DAILY_UTC, 7, 0))), false);

        setup.logger("org.flamenco.worker.x.Y").info("to the file");
        context.stop();

        assertThat(Files.readString(log)).matches("\\d{4}-.*,\\d{3}     INFO org.flamenco.worker.x.Y to the file\\R");
        assertThat(console()).isEmpty();
    }

    @Test
    void sizeRotatedAndPlainFilesAreWritten() throws Exception {
        Path sized = dir.resolve("sized.log");
        setup.apply(new LoggingSettings(LogLevel.WARNING, LogLevel.INFO, false,
                Optional.of(new LogFile(sized, Rotation.SIZE, 2, 1024))), false);
        setup.logger("org.flamenco.worker.x.Y").info("sized line");
        Path plain = dir.resolve("plain.log");
        setup.apply(new LoggingSettings(LogLevel.WARNING, LogLevel.INFO, false,
                Optional.of(new LogFile(plain, Rotation.NONE, 0, 0))), false);
        setup.logger("org.flamenco.worker.x.Y").info("plain line");
        context.stop();

        assertThat(Files.readString(sized)).contains("sized line").doesNotContain("plain line");
        assertThat(Files.readString(plain)).contains("plain line").doesNotContain("sized line");
    }

    @Test
    void unwritableLogFileIsAWarningOnTheConsole() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
        setup.apply(new LoggingSettings(LogLevel.WARNING, LogLevel.INFO, true,
                Optional.of(new LogFile(blocker.resolve("w.log"), Rotation.NONE, 0, 0))), false);

        setup.logger("org.flamenco.worker.x.Y").info("still on the console");

        assertThat(console()).contains("Cannot write the log file", "still on the console");
    }
}
