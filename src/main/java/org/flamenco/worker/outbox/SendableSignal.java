package org.flamenco.worker.outbox;

/**
 * "Something may be sendable": raised by the {@link Committer} after a commit that released material, and by the
 * sender's own {@code wake()}/{@code close()}; the sender lowers it before each read of the head, so a release
 * committed after that read raises it again. Thread-safe.
 */
final class SendableSignal {
    private boolean raised = true;

    synchronized void raise() {
        raised = true;
        notifyAll();
    }

    synchronized void lower() {
        raised = false;
    }

    /** Blocks until raised (then lowers it again only through {@link #lower}). */
    synchronized void await() throws InterruptedException {
        while (!raised) {
            wait();
        }
    }
}
