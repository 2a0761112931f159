package org.flamenco.worker.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The monitoring keys (README "Monitoring").
 *
 * @param metricsListen    {@code metrics_listen}: where {@code /metrics} and {@code /healthz} are served; empty = off
 * @param healthzMaxSilence {@code healthz_max_silence_seconds}: {@code /healthz} answers 503 when the Manager has not
 *                          answered with success, or the fetch loop has not moved, for longer than this
 */
public record MonitoringSettings(Optional<InetSocketAddress> metricsListen, Duration healthzMaxSilence) {
    public MonitoringSettings {
        Objects.requireNonNull(metricsListen, "metricsListen");
        Objects.requireNonNull(healthzMaxSilence, "healthzMaxSilence");
    }

    /** Off, with the default limit (for tests and tools that build a configuration by hand). */
    public static MonitoringSettings off() {
        return new MonitoringSettings(Optional.empty(), Duration.ofSeconds(300));
    }

    /**
     * Parses {@code host:port} ({@code [v6]:port} for IPv6); empty text is "off".
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static Optional<InetSocketAddress> parseListen(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("no host:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("write an IPv6 address in brackets");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port must be 1-65535");
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host);
        }
    }
}
