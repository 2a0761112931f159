package org.flamenco.worker.manager.v2;

/** A reply with the expected status whose body cannot be used; becomes a {@code BAD_REPLY} ManagerException. */
public final class UnusableReplyException extends Exception {
    public UnusableReplyException(String why) {
        super(why);
    }
}
