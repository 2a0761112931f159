package org.flamenco.worker.manager;

import java.util.List;
import java.util.Objects;

import org.flamenco.worker.model.Secret;

/**
 * What a registration sends (protocol-v2.md §4.1), plus the pre-shared key for the bearer token.
 *
 * @param secret             the new worker secret (64 × [A-Za-z0-9])
 * @param registrationSecret the configured {@code worker_registration_secret}; empty means open registration
 */
public record Registration(Secret secret, String platform, List<String> supportedTaskTypes, String nickname,
                           Secret registrationSecret) {
    public Registration {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(platform, "platform");
        supportedTaskTypes = List.copyOf(supportedTaskTypes);
        Objects.requireNonNull(nickname, "nickname");
        Objects.requireNonNull(registrationSecret, "registrationSecret");
    }
}
