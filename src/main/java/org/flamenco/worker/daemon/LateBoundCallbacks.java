package org.flamenco.worker.daemon;

import org.flamenco.worker.agent.ShutdownCause;
import org.flamenco.worker.agent.Worker;

/**
 * Late-bound callbacks between components built in a cycle: the sender reports 409s to the worker, and the worker
 * (or the credentials guard) asks for a shutdown that the coordinator runs. Calls before {@link #attach} are kept.
 */
final class LateBoundCallbacks {
    private volatile Worker worker;
    private volatile ShutdownCoordinator coordinator;
    private volatile ShutdownCause early;

    void attach(Worker w, ShutdownCoordinator c) {
        this.worker = w;
        this.coordinator = c;
        ShutdownCause pending = early;
        if (pending != null) {
            shutdown(pending);
        }
    }

    void conflictReported(String taskId) {
        Worker w = worker;
        if (w != null) {
            w.conflictReported(taskId);
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
