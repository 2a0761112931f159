package org.flamenco.worker.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.model.Secret;

/**
 * How to reach the Manager and present this worker to it: the {@code manager_*}, {@code http_*},
 * {@code worker_registration_secret} and {@code worker_nickname} keys. A class rather than a record because the CA
 * file may be absent, and absence is an {@link Optional} return, never a field.
 */
public final class ManagerSettings {
    private final String url;
    private final String protocol;
    /** Null when no extra CA file is configured. */
    private final Path caFile;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Secret registrationSecret;
    private final String nickname;

    /**
     * @param url      {@code manager_url}: empty means SSDP discovery at startup; otherwise an http(s) URL with a host
     * @param protocol {@code manager_protocol}: {@code v2}, {@code v3} or {@code auto}, lower case
     * @param caFile   {@code manager_ca_file}: extra trusted CA certificates (PEM); {@code null} when not configured
     * @param nickname {@code worker_nickname}; empty means the host name
     */
    public ManagerSettings(String url, String protocol, Path caFile, Duration connectTimeout, Duration readTimeout,
                           Secret registrationSecret, String nickname) {
        this.url = Objects.requireNonNull(url, "url");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.caFile = caFile;
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
        this.registrationSecret = Objects.requireNonNull(registrationSecret, "registrationSecret");
        this.nickname = Objects.requireNonNull(nickname, "nickname");
    }

    /** {@code manager_url}: empty means SSDP discovery at startup. */
    public String url() {
        return url;
    }

    /** The Manager URL, or empty when it must be discovered. */
    public Optional<URI> uri() {
        return url.isEmpty() ? Optional.empty() : Optional.of(URI.create(url));
    }

    /** {@code v2}, {@code v3} or {@code auto}, lower case. */
    public String protocol() {
        return protocol;
    }

    /** Extra trusted CA certificates (PEM), when configured. */
    public Optional<Path> caFile() {
        return Optional.ofNullable(caFile);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    public Secret registrationSecret() {
        return registrationSecret;
    }

    /** {@code worker_nickname}; empty means the host name. */
    public String nickname() {
        return nickname;
    }

    @Override
    public String toString() {
        return "ManagerSettings[url=" + url + ", protocol=" + protocol + ", caFile=" + caFile + ", connectTimeout="
                + connectTimeout + ", readTimeout=" + readTimeout + ", registrationSecret=" + registrationSecret
                + ", nickname=" + nickname + "]";
    }
}
