package org.flamenco.worker.daemon;

import org.flamenco.worker.agent.ShutdownCause;

/**
 * A late-bound callback between components built in a cycle: the worker (or the credentials guard) asks for a
 * shutdown that the coordinator, built after them, runs. A request before {@link #attach} is kept.
 */
final class LateBoundCallbacks {
    private volatile ShutdownCoordinator coordinator;
    private volatile ShutdownCause early;

    void attach(ShutdownCoordinator c) {
        this.coordinator = c;
        ShutdownCause pending = early;
        if (pending != null) {
            shutdown(pending);
        }
    }

    void shutdown(ShutdownCause cause) {
        ShutdownCoordinator c = coordinator;
        if (c == null) {
            early = cause;
            return;
        }
        DaemonResult result = switch (cause) {
            case REGISTRATION_REFUSED -> DaemonResult.of(DaemonResult.Kind.REGISTRATION_REFUSED, cause.description());
            case RESTART_REQUESTED -> DaemonResult.of(DaemonResult.Kind.RESTART_REQUESTED, cause.description());
            default -> DaemonResult.clean();
        };
        c.begin(cause.description(), result);
    }
}
