package org.flamenco.worker.daemon;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration until {@link LoggingSetup#apply} runs (worker-behaviour.md §2.5): the worker's loggers at
 * INFO, the others at WARN, to stderr in the worker's line format. Found by logback through
 * {@code META-INF/services} and built in code: parsing a {@code logback.xml} loaded ~400 classes of XML parser and
 * configuration model at every start (issue 24). A {@code logback-test.xml} or {@code logback.xml} on the class
 * path, or {@code -Dlogback.configurationFile}, still wins: then logback reads that file as usual.
 */
public final class DefaultLogging extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = DefaultLogging.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        new LoggingSetup(context, System.err).applyDefaults();
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
