package org.flamenco.worker.config;

import java.util.Objects;

/** A value as written, before interpolation, and where it came from (a file path or the built-in defaults). */
record RawValue(String text, String origin) {
    RawValue {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(origin, "origin");
    }
}
