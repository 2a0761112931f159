package org.flamenco.worker.manager;

/**
 * Told about every request to the Manager as it ends (for monitoring). Called on the requesting thread: must be
 * quick, must not block and must not throw.
 */
@FunctionalInterface
public interface RequestObserver {
    /**
     * @param endpoint the method and path template, ids replaced: {@code POST /tasks/{id}/update}
     * @param status   the HTTP status, or 0 when no answer came (network error, timeout, interrupted)
     * @param nanos    how long the request took
     */
    void requestEnded(String endpoint, int status, long nanos);
}
