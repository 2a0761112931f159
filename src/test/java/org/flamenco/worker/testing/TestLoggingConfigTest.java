package org.flamenco.worker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;

/**
 * The suite's console stays readable (issue 26 item 13): the failures tests provoke on purpose are logged to
 * {@code target/test-logs/tests.log}, never to the console, and the worker's loggers stay enabled for capturing tests.
 */
class TestLoggingConfigTest {
    @Test
    void logsOfTheSuiteGoToAFileNotTheConsole() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(appenders::add);

        assertThat(appenders).noneMatch(a -> a instanceof ConsoleAppender)
                .anySatisfy(a -> assertThat(((FileAppender<ILoggingEvent>) a).getFile())
                        .endsWith("target/test-logs/tests.log"));
        assertThat(context.getLogger("org.flamenco.worker").isDebugEnabled()).isTrue();
    }
}
