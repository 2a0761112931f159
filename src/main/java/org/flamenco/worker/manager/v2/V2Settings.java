package org.flamenco.worker.manager.v2;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.model.BuildInfo;

/**
 * What {@link V2ManagerApi} needs to know (protocol-v2.md §1).
 *
 * @param baseUrl        {@code http://} or {@code https://} URL; a path prefix is kept and endpoint paths are
 *                       appended to it
 * @param connectTimeout {@code http_connect_timeout_seconds}
 * @param readTimeout    {@code http_read_timeout_seconds} (also the write timeout)
 * @param caFile         {@code manager_ca_file}: PEM certificates trusted in addition to the system store, or
 *                       {@code null} for none
 * @param userAgent      the {@code User-Agent} header value
 */
public record V2Settings(String baseUrl, Duration connectTimeout, Duration readTimeout, Path caFile,
                         String userAgent) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    public V2Settings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        Objects.requireNonNull(userAgent, "userAgent");
    }

    /** Default timeouts (3 s / 30 s), no extra CA, {@code Flamenco-Worker/<version>}. */
    public static V2Settings defaults(String baseUrl) {
        return new V2Settings(baseUrl, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, null, BuildInfo.userAgent());
    }

    public V2Settings withTimeouts(Duration connect, Duration read) {
        return new V2Settings(baseUrl, connect, read, caFile, userAgent);
    }

    public V2Settings withCaFile(Path file) {
        return new V2Settings(baseUrl, connectTimeout, readTimeout, file, userAgent);
    }

    /** The CA file, when one is configured. */
    public Optional<Path> caFileIfSet() {
        return Optional.ofNullable(caFile);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
