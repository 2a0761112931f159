package org.flamenco.worker.manager;

import java.util.Locale;
import java.util.Objects;

/**
 * The {@code platform} a worker registers with (protocol-v2.md §4.1): {@code linux}, {@code windows} or
 * {@code darwin}; any other OS sends its lower-cased name without spaces and {@link #known()} is false, so the caller
 * can warn that the Manager's variables may have no value for it.
 */
public record Platform(String wireName, boolean known) {
    public Platform {
        Objects.requireNonNull(wireName, "wireName");
    }

    /** The platform of the running JVM ({@code os.name}). */
    public static Platform current() {
        return fromOsName(System.getProperty("os.name", "unknown"));
    }

    public static Platform fromOsName(String osName) {
        String lower = osName.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith("linux")) {
            return new Platform("linux", true);
        }
        if (lower.startsWith("windows")) {
            return new Platform("windows", true);
        }
        if (lower.startsWith("mac") || lower.startsWith("darwin")) {
            return new Platform("darwin", true);
        }
        String squashed = lower.replaceAll("\\s+", "");
        return new Platform(squashed.isEmpty() ? "unknown" : squashed, false);
    }
}
