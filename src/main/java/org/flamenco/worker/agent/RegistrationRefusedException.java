package org.flamenco.worker.agent;

/** The Manager refused registration or sign-on for good (exit 3). The message says why and what to check. */
public final class RegistrationRefusedException extends Exception {
    public RegistrationRefusedException(String message) {
        super(message);
    }
}
