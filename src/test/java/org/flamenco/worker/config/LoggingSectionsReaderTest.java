package org.flamenco.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flamenco.worker.config.ConfigFiles.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.flamenco.worker.config.LoggingSettings.LogFile;
import org.flamenco.worker.config.LoggingSettings.LogLevel;
import org.flamenco.worker.config.LoggingSettings.Rotation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoggingSectionsReaderTest {
    @TempDir
    Path dir;
    Path work;
    ConfigLoader loader;

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createDirectories(dir.resolve("work"));
        loader = new ConfigLoader(work, Files.createDirectories(dir.resolve("home")));
    }

    private LoadedConfig load(String... lines) throws ConfigException {
        String[] all = new String[lines.length + 1];
        all[0] = "[flamenco-worker]";
        System.arraycopy(lines, 0, all, 1, lines.length);
        write(work.resolve("flamenco-worker.cfg"), all);
        return loader.load();
    }

    @Test
    void levelsComeFromRootAndWorkerLoggers() throws Exception {
        LoggingSettings logging = load("[logger_root]", "level = ERROR", "handlers = console",
                "[logger_flamenco_worker]", "level = DEBUG", "handlers = console", "[handler_console]",
                "class = StreamHandler").config().logging();

        assertThat(logging).isEqualTo(new LoggingSettings(LogLevel.ERROR, LogLevel.DEBUG, true, Optional.empty()));
    }

    @Test
    void handlerNotReferencedByAnyLoggerIsInactive() throws Exception {
        LoggingSettings logging = load("[logger_root]", "level = INFO", "handlers = file",
                "[handler_console]", "class = StreamHandler", "args = (sys.stderr,)",
                "[handler_file]", "class = FileHandler", "args = ('w.log', 'a')").config().logging();

        assertThat(logging.console()).isFalse();
        assertThat(logging.file()).contains(new LogFile(work.resolve("w.log"), Rotation.NONE, 0, 0));
    }

    @Test
    void sizeRotatingHandlerKeepsMaxBytesAndBackups() throws Exception {
        LoggingSettings logging = load("[logger_root]", "handlers = file", "[handler_file]",
                "class = logging.handlers.RotatingFileHandler",
                "args = (r'logs\\w.log', 'a', 1048576, 3)").config().logging();

        assertThat(logging.file()).contains(new LogFile(work.resolve("logs\\w.log"), Rotation.SIZE, 3, 1048576));
    }

    @Test
    void timedHandlerWithoutBackupCountKeepsSeven() throws Exception {
        LoggingSettings logging = load("[logger_root]", "handlers = file", "[handler_file]",
                "class = handlers.TimedRotatingFileHandler", "args = (\"/var/log/fw.log\", 'midnight')")
                .config().logging();

        assertThat(logging.file()).contains(new LogFile(Path.of("/var/log/fw.log"), Rotation.DAILY_UTC, 7, 0));
    }

    @Test
    void unparseableArgumentsAreAWarningAndTurnFileLoggingOff() throws Exception {
        LoadedConfig loaded = load("[logger_root]", "handlers = console,file", "[handler_console]",
                "class = StreamHandler", "[handler_file]", "class = logging.handlers.TimedRotatingFileHandler",
                "args = (os.path.join('logs', 'w.log'), 'midnight')");

        assertThat(loaded.config().logging().file()).isEmpty();
        assertThat(loaded.config().logging().console()).isTrue();
        assertThat(loaded.warnings()).singleElement().asString()
                .contains("[handler_file] cannot parse the handler arguments", "no file logging");
    }

    @Test
    void unknownLevelIsAWarningAndKeepsTheDefault() throws Exception {
        LoadedConfig loaded = load("[logger_flamenco_worker]", "level = LOUD", "handlers = console",
                "[handler_console]", "class = logging.StreamHandler");

        assertThat(loaded.config().logging().workerLevel()).isEqualTo(LogLevel.INFO);
        assertThat(loaded.warnings()).singleElement().asString().contains("unknown logging level \"LOUD\"");
    }

    @Test
    void withoutLoggingSectionsConsoleOnlyWorkerInfoLibrariesWarning() throws Exception {
        assertThat(load().config().logging()).isEqualTo(
                new LoggingSettings(LogLevel.WARNING, LogLevel.INFO, true, Optional.empty()));
    }
}
