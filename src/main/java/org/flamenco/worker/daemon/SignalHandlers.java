package org.flamenco.worker.daemon;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.process.WindowsConsole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;

/**
 * Installs the POSIX signal handlers of worker-behaviour.md §4.3: INT, TERM, HUP → shutdown (with the signal
 * number, so a second one can exit 128+N); USR1 sleep; USR2 wake; IO → status summary. A signal the platform does
 * not let the JVM handle is skipped with a DEBUG line (e.g. USR1 when the JVM uses it, or anything on Windows).
 *
 * <p>On Windows the console events come first ({@link WindowsConsole}): Ctrl+C is left to the JVM, which raises
 * SIGINT (handled above); Ctrl+Break is a shutdown (instead of the JVM's thread dump); close and shutdown are a
 * shutdown (SIGTERM's number) and the handler holds the event until the JVM exits, because Windows ends the process
 * as soon as it returns (and after its own timeout anyway: 5 s for a closed console window); logoff is left to the
 * JVM, which ignores it in a service and raises SIGTERM in a user's session.
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

    /** SIGTERM's number, given for the console events that mean "terminate". */
    static final int SIGTERM = 15;
    /** SIGBREAK's number on Windows, given for Ctrl+Break. */
    static final int SIGBREAK = 21;
    /** Longer than Windows waits before it ends the process itself. */
    private static final long CONSOLE_HOLD_SECONDS = 60;

    private SignalHandlers() {
    }

    static void install(Target target) {
        Objects.requireNonNull(target, "target");
        CountDownLatch exiting = new CountDownLatch(1);
        Optional<WindowsConsole> console = WindowsConsole.register(event -> consoleEvent(event, target, exiting));
        if (console.isPresent()) {
            Runtime.getRuntime().addShutdownHook(new Thread(exiting::countDown, "fw-console-release"));
            LOG.debug("Windows console events are handled: {}", console.get());
        }
        handle("INT", s -> target.shutdownSignal(s.getNumber(), "SIGINT"));
        // The TERM handler, which the JVM keeps for its lifetime, also keeps the console registration reachable:
        // jnr-ffi holds the native callback only weakly.
        String term = console.map(c -> "SIGTERM (logoff)").orElse("SIGTERM");
        handle("TERM", s -> target.shutdownSignal(s.getNumber(), console.isPresent() ? term : "SIGTERM"));
        handle("HUP", s -> target.shutdownSignal(s.getNumber(), "SIGHUP"));
        handle("USR1", s -> target.sleepSignal());
        handle("USR2", s -> target.wakeSignal());
        handle("IO", s -> target.statusSignal());
    }

    /**
     * What the Windows console event {@code event} does; true when it was handled here (the JVM's own handler is
     * then not called). Close and shutdown wait for {@code exiting} (released when the JVM exits).
     */
    static boolean consoleEvent(int event, Target target, CountDownLatch exiting) {
        switch (event) {
            case WindowsConsole.CTRL_BREAK_EVENT:
                target.shutdownSignal(SIGBREAK, WindowsConsole.eventName(event));
                return true;
            case WindowsConsole.CTRL_CLOSE_EVENT:
            case WindowsConsole.CTRL_SHUTDOWN_EVENT:
                target.shutdownSignal(SIGTERM, WindowsConsole.eventName(event));
                try {
                    exiting.await(CONSOLE_HOLD_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            default:
                return false; // Ctrl+C and logoff: the JVM's handler decides (see the class comment)
        }
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
