package org.flamenco.worker.model;

import java.util.Objects;

/** The worker's identity on the Manager: its id (24 hex) and its secret. */
public record Credentials(String workerId, Secret secret) {
    public Credentials {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(secret, "secret");
    }

    public boolean isComplete() {
        return !workerId.isEmpty() && !secret.isEmpty();
    }

    @Override
    public String toString() {
        return "Credentials[workerId=" + workerId + ", secret=" + Secret.MASK + "]";
    }
}
