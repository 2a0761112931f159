package org.flamenco.worker.model;

import java.util.Objects;

/**
 * A secret value (worker secret, registration secret, token). Prints as {@code ***} everywhere: {@link #toString()},
 * string concatenation, log placeholders. Only {@link #reveal()} gives the value, for the one place that must send
 * or store it.
 */
public final class Secret {
    public static final String MASK = "***";
    private static final Secret EMPTY = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return value == null || value.isEmpty() ? EMPTY : new Secret(value);
    }

    public static Secret empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** The plain value. Call only where it goes on the wire or into the credentials file. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return MASK;
    }
}
