package org.flamenco.worker.agent;

import java.util.Optional;

import org.flamenco.worker.model.WorkerStatus;

/** A stop the loop must finish after the task returns: return the task, then maybe apply a status. */
record PendingStop(Optional<WorkerStatus> statusRequested, String logLine) {
}
