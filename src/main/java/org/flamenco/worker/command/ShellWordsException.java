package org.flamenco.worker.command;

/** A command string cannot be split into words: {@code No closing quotation} or {@code No escaped character}. */
public final class ShellWordsException extends Exception {
    public ShellWordsException(String message) {
        super(message);
    }
}
