package org.flamenco.worker.config;

/**
 * A configuration file is missing, cannot be parsed or holds an invalid value. The message is one line naming the
 * file, section, key, the value as written (secrets as {@code ***}) and the expected form; the command line prints
 * it and exits 2.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
