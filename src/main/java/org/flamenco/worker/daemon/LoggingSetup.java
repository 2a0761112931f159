package org.flamenco.worker.daemon;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.flamenco.worker.config.LoggingSettings;
import org.flamenco.worker.config.LoggingSettings.LogFile;
import org.flamenco.worker.config.LoggingSettings.LogLevel;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;

/**
 * Configures logback from {@link LoggingSettings} (worker-behaviour.md §2.5): one line format, console on stderr,
 * an optional log file (rotated daily at midnight UTC or by size, like the Python handlers it replaces), the
 * worker's loggers ({@value #WORKER_LOGGER}) at the worker level ({@code -d} forces DEBUG) and every other logger
 * at the library level. Replaces whatever configuration the context had ({@link #applyDefaults}, through
 * {@link DefaultLogging}, until this runs).
 */
public final class LoggingSetup {
    public static final String WORKER_LOGGER = "org.flamenco.worker";
    /** Startup lines ({@code Starting Flamenco Worker ...}) are logged here: at INFO whatever the worker level. */
    public static final String STARTUP_LOGGER = WORKER_LOGGER + ".startup";
    /** {@code 2026-11-23 09:04:13,123     INFO <logger name> message}, as the original's format string. */
    static final String PATTERN = "%d{\"yyyy-MM-dd HH:mm:ss,SSS\"} %8replace(%level){'^WARN$', 'WARNING'} "
            + "%logger %msg%n";

    private final LoggerContext context;
    private final OutputStream console;

    /**
     * @param context the logback context to configure
     * @param console where console records go (stderr for the process); it is never closed here
     */
    public LoggingSetup(LoggerContext context, OutputStream console) {
        this.context = Objects.requireNonNull(context, "context");
        if (context.getMDCAdapter() == null) { // a context made outside SLF4J's binding (tests) has none
            context.setMDCAdapter(new LogbackMDCAdapter());
        }
        this.console = new NonClosing(Objects.requireNonNull(console, "console"));
    }

    /** For the worker process: the global logback context, console on stderr. */
    public static LoggingSetup forThisProcess() {
        return new LoggingSetup((LoggerContext) LoggerFactory.getILoggerFactory(), System.err);
    }

    /** A logger of the configured context (the process's loggers are the same as {@link LoggerFactory}'s). */
    public org.slf4j.Logger logger(String name) {
        return context.getLogger(name);
    }

    /** Before the configuration is read: the worker's loggers at INFO, the others at WARN, console only. */
    void applyDefaults() {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        context.getLogger(WORKER_LOGGER).setLevel(Level.INFO);
        root.addAppender(consoleAppender());
    }

    public void apply(LoggingSettings settings, boolean debug) {
        context.reset();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(settings.libraryLevel()));
        Level worker = debug ? Level.DEBUG : level(settings.workerLevel());
        context.getLogger(WORKER_LOGGER).setLevel(worker);
        context.getLogger(STARTUP_LOGGER).setLevel(worker.isGreaterOrEqual(Level.INFO) ? Level.INFO : worker);
        if (settings.console()) {
            root.addAppender(consoleAppender());
        }
        settings.file().ifPresent(file -> {
            FileAppender<ILoggingEvent> appender = fileAppender(file);
            if (appender.isStarted()) {
                root.addAppender(appender);
            } else {
                context.getLogger(LoggingSetup.class).warn("Cannot write the log file {}; logging to it is off",
                        file.path());
            }
        });
    }

    private OutputStreamAppender<ILoggingEvent> consoleAppender() {
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setName("console");
        appender.setContext(context);
        appender.setEncoder(encoder());
        appender.setOutputStream(console);
        appender.start();
        return appender;
    }

    private FileAppender<ILoggingEvent> fileAppender(LogFile file) {
        String path = file.path().toString();
        FileAppender<ILoggingEvent> appender;
        switch (file.rotation()) {
            case DAILY_UTC -> {
                RollingFileAppender<ILoggingEvent> rolling = new RollingFileAppender<>();
                TimeBasedRollingPolicy<ILoggingEvent> policy = new TimeBasedRollingPolicy<>();
                policy.setContext(context);
                policy.setFileNamePattern(path + ".%d{yyyy-MM-dd,UTC}"); // the Python handler's names
                policy.setMaxHistory(file.backups());
                policy.setParent(rolling);
                rolling.setRollingPolicy(policy);
                appender = rolling;
            }
            case SIZE -> {
                RollingFileAppender<ILoggingEvent> rolling = new RollingFileAppender<>();
                FixedWindowRollingPolicy policy = new FixedWindowRollingPolicy();
                policy.setContext(context);
                policy.setFileNamePattern(path + ".%i");
                policy.setMinIndex(1);
                policy.setMaxIndex(file.backups());
                policy.setParent(rolling);
                SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
                trigger.setContext(context);
                trigger.setMaxFileSize(new FileSize(file.maxBytes()));
                rolling.setRollingPolicy(policy);
                rolling.setTriggeringPolicy(trigger);
                appender = rolling;
            }
            default -> appender = new FileAppender<>();
        }
        appender.setName("file");
        appender.setContext(context);
        appender.setFile(path);
        appender.setAppend(true);
        appender.setEncoder(encoder());
        if (appender instanceof RollingFileAppender<ILoggingEvent> rolling) {
            rolling.getRollingPolicy().start();
            if (rolling.getTriggeringPolicy() instanceof SizeBasedTriggeringPolicy<ILoggingEvent> trigger) {
                trigger.start();
            }
        }
        appender.start();
        return appender;
    }

    private PatternLayoutEncoder encoder() {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        return encoder;
    }

    private static Level level(LogLevel level) {
        return switch (level) {
            case DEBUG -> Level.DEBUG;
            case INFO -> Level.INFO;
            case WARNING -> Level.WARN;
            case ERROR -> Level.ERROR;
        };
    }

    /** Keeps logback from closing stderr when it stops the console appender. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
