package org.flamenco.worker.config;

import java.util.Set;

import org.flamenco.worker.model.Secret;

/** The one-line message forms of worker-behaviour.md §2.6. */
final class ConfigMessages {
    /** Keys of {@code [flamenco-worker]} whose values are never shown. */
    static final Set<String> SECRET_KEYS = Set.of("worker_secret", "worker_registration_secret");

    private ConfigMessages() {
    }

    /** {@code <file>: [<section>] <key> = "<value>": expected <form>}, secret values as {@code ***}. */
    static String invalid(String file, String section, String key, String value, String expected) {
        return file + ": [" + section + "] " + key + " = \"" + shown(section, key, value) + "\": " + expected;
    }

    static String shown(String section, String key, String value) {
        boolean secret = WorkerConfigReader.SECTION.equals(section) && SECRET_KEYS.contains(key);
        return secret && !value.isEmpty() ? Secret.MASK : value;
    }
}
