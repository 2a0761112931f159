package org.flamenco.worker.manager.v2;

import java.util.List;
import java.util.Objects;

import org.flamenco.worker.model.Secret;

/** Replaces known secret values in text that may end up in logs or exception messages with {@code ***}. */
public final class Scrubber {
    /** Shorter values are not replaced: they would mangle ordinary text and are not real secrets anyway. */
    private static final int MIN_SECRET_CHARS = 4;

    private final List<String> secrets;

    public Scrubber(List<String> values) {
        this.secrets = values.stream().filter(Objects::nonNull).filter(v -> v.length() >= MIN_SECRET_CHARS)
                .distinct().toList();
    }

    public String apply(String text) {
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, Secret.MASK);
        }
        return out;
    }
}
