package org.flamenco.worker.process;

import java.util.Objects;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * The worker's own console control events on Windows ({@code SetConsoleCtrlHandler} through jnr-ffi, in
 * {@link JnrKernel32}). The JVM maps Ctrl+C to SIGINT and close, logoff and shutdown to SIGTERM, but returns from
 * its handler at once, and for close, logoff and shutdown Windows ends the process as soon as a handler returns:
 * a clean shutdown would get no time. A handler registered here runs before the JVM's (Windows calls the last
 * registered first) and may block until the worker has shut down.
 *
 * <p>jnr-ffi holds the native callback only weakly: keep this object reachable for as long as the handler must
 * work (the worker keeps it for its whole life).
 */
public final class WindowsConsole {
    public static final int CTRL_C_EVENT = 0;
    public static final int CTRL_BREAK_EVENT = WindowsApi.CTRL_BREAK_EVENT;
    public static final int CTRL_CLOSE_EVENT = 2;
    public static final int CTRL_LOGOFF_EVENT = 5;
    public static final int CTRL_SHUTDOWN_EVENT = 6;

    private final WindowsApi api;
    private final IntPredicate handler;

    private WindowsConsole(WindowsApi api, IntPredicate handler) {
        this.api = api;
        this.handler = handler;
    }

    /**
     * Registers {@code handler} (event number in, true when handled) where kernel32 loads (Windows); empty
     * elsewhere or when the registration fails.
     */
    public static Optional<WindowsConsole> register(IntPredicate handler) {
        Objects.requireNonNull(handler, "handler");
        return JnrKernel32.load().filter(api -> api.onConsoleEvent(handler))
                .map(api -> new WindowsConsole(api, handler));
    }

    /** {@code CTRL_CLOSE_EVENT} and the like, for log lines. */
    public static String eventName(int event) {
        switch (event) {
            case CTRL_C_EVENT:
                return "CTRL_C_EVENT";
            case CTRL_BREAK_EVENT:
                return "CTRL_BREAK_EVENT";
            case CTRL_CLOSE_EVENT:
                return "CTRL_CLOSE_EVENT";
            case CTRL_LOGOFF_EVENT:
                return "CTRL_LOGOFF_EVENT";
            case CTRL_SHUTDOWN_EVENT:
                return "CTRL_SHUTDOWN_EVENT";
            default:
                return "console event " + event;
        }
    }

    @Override
    public String toString() {
        return "WindowsConsole[" + api + ", " + handler + "]";
    }
}
