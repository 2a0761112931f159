package org.flamenco.worker.agent;

import java.util.List;
import java.util.Objects;

import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;

/**
 * Who this worker is: what it registers with, and its current credentials (which change on re-registration).
 * Thread-safe.
 */
public final class WorkerIdentity {
    private final List<String> taskTypes;
    private final String nickname;
    private final String platform;
    private final Secret registrationSecret;
    private volatile Credentials credentials;

    public WorkerIdentity(List<String> taskTypes, String nickname, String platform, Secret registrationSecret,
                          Credentials initial) {
        this.taskTypes = List.copyOf(taskTypes);
        this.nickname = Objects.requireNonNull(nickname, "nickname");
        this.platform = Objects.requireNonNull(platform, "platform");
        this.registrationSecret = Objects.requireNonNull(registrationSecret, "registrationSecret");
        this.credentials = Objects.requireNonNull(initial, "initial");
    }

    public List<String> taskTypes() {
        return taskTypes;
    }

    public String nickname() {
        return nickname;
    }

    public String platform() {
        return platform;
    }

    public Secret registrationSecret() {
        return registrationSecret;
    }

    public Credentials credentials() {
        return credentials;
    }

    void setCredentials(Credentials c) {
        this.credentials = Objects.requireNonNull(c, "credentials");
    }

    /** {@code <worker_id> (<nickname>)}, as task-log lines name the worker. */
    public String label() {
        return credentials.workerId() + " (" + nickname + ")";
    }
}
