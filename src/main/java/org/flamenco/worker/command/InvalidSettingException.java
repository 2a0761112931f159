package org.flamenco.worker.command;

/** A command setting is missing, null, of the wrong type or out of range; the message is shown to the wrangler. */
public final class InvalidSettingException extends Exception {
    public InvalidSettingException(String message) {
        super(message);
    }
}
