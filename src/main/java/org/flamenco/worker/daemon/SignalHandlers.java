package org.flamenco.worker.daemon;

import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;

/**
 * Installs the POSIX signal handlers of worker-behaviour.md §4.3: INT, TERM, HUP → shutdown (with the signal
 * number, so a second one can exit 128+N); USR1 sleep; USR2 wake; IO → status summary. A signal the platform does
 * not let the JVM handle is skipped with a DEBUG line (e.g. USR1 when the JVM uses it, or anything on Windows).
 */
final class SignalHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(SignalHandlers.class);

    /** What the signals do. */
    interface Target {
        void shutdownSignal(int signalNumber, String name);

        void sleepSignal();

        void wakeSignal();

        void statusSignal();
    }

    private SignalHandlers() {
    }

    static void install(Target target) {
        Objects.requireNonNull(target, "target");
        handle("INT", s -> target.shutdownSignal(s.getNumber(), "SIGINT"));
        handle("TERM", s -> target.shutdownSignal(s.getNumber(), "SIGTERM"));
        handle("HUP", s -> target.shutdownSignal(s.getNumber(), "SIGHUP"));
        handle("USR1", s -> target.sleepSignal());
        handle("USR2", s -> target.wakeSignal());
        handle("IO", s -> target.statusSignal());
    }

    private static void handle(String name, sun.misc.SignalHandler handler) {
        try {
            Signal.handle(new Signal(name), signal -> {
                try {
                    handler.handle(signal);
                } catch (RuntimeException e) {
                    LOG.error("Error handling SIG{}", name, e);
                }
            });
        } catch (IllegalArgumentException e) {
            LOG.debug("Cannot handle SIG{} on this platform: {}", name, e.getMessage());
        }
    }
}
