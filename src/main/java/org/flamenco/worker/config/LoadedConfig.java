package org.flamenco.worker.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;

/**
 * The result of loading the configuration: the typed value, what was read, what to warn about, and the effective
 * sections for {@code --verbose}.
 *
 * @param config   the validated configuration
 * @param searched the files of the search order (worker-behaviour.md §2.2), whether they exist or not
 * @param filesRead the files actually read, in layer order
 * @param warnings one-line warnings (unknown keys and sections, logging sections that could not be mapped,
 *                 credentials readable by others); to be logged once logging is set up
 * @param sections every section after layering and interpolation, for {@link #toIni()}
 * @param identityOrigin the file {@code worker_id} really came from ({@code <built-in defaults>} when none set it)
 * @param origins  where each key of {@code [flamenco-worker]} came from (a file, or {@code <built-in defaults>})
 */
public record LoadedConfig(WorkerConfig config, List<Path> searched, List<Path> filesRead, List<String> warnings,
                           Map<String, Map<String, String>> sections, String identityOrigin,
                           Map<String, String> origins) {
    public static final String TEST_TASK_TYPE = "test-blender-render";
    /** Shorter secrets are not searched for in other values: masking "a" everywhere would garble the dump. */
    private static final int MIN_MASKED_LENGTH = 4;

    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(identityOrigin, "identityOrigin");
        origins = Map.copyOf(origins);
        searched = List.copyOf(searched);
        filesRead = List.copyOf(filesRead);
        warnings = List.copyOf(warnings);
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        sections.forEach((name, values) -> copy.put(name, new LinkedHashMap<>(values)));
        sections = copy;
    }

    @Override
    public Map<String, Map<String, String>> sections() {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        sections.forEach((name, values) -> copy.put(name, new LinkedHashMap<>(values)));
        return copy;
    }

    /** {@code --test}: task types become {@value #TEST_TASK_TYPE} (worker-behaviour.md §11.1). */
    public LoadedConfig forTestMode() {
        return with(config.withTaskTypes(List.of(TEST_TASK_TYPE)), "task_types", TEST_TASK_TYPE);
    }

    /** {@code --reregister}: stored credentials are ignored in memory; no file is touched. */
    public LoadedConfig withoutStoredCredentials() {
        LoadedConfig cleared = with(config.withCredentials(new Credentials("", Secret.empty())), "worker_id", "");
        return cleared.with(cleared.config, "worker_secret", "");
    }

    private LoadedConfig with(WorkerConfig newConfig, String key, String value) {
        Map<String, Map<String, String>> copy = sections();
        copy.computeIfAbsent(WorkerConfigReader.SECTION, name -> new LinkedHashMap<>()).put(key, value);
        return new LoadedConfig(newConfig, searched, filesRead, warnings, copy, identityOrigin, origins);
    }

    /**
     * The one-line message of a {@code [flamenco-worker]} value found unusable only when the worker used it (a
     * {@code metrics_listen} port in use): {@code <file>: [flamenco-worker] <key> = "<value>": <expected>}.
     */
    public String invalid(String key, String expected) {
        String value = sections.getOrDefault(WorkerConfigReader.SECTION, Map.of()).getOrDefault(key, "");
        return ConfigMessages.invalid(origins.getOrDefault(key, mainFile().toString()), WorkerConfigReader.SECTION,
                key, value, expected);
    }

    /**
     * The effective configuration in INI form (worker-behaviour.md §2.7), {@code worker_secret} and
     * {@code worker_registration_secret} as {@code ***}. Continuation lines are indented, so the text reads back.
     */
    public String toIni() {
        List<String> secrets = ConfigMessages.SECRET_KEYS.stream()
                .map(key -> sections.getOrDefault(WorkerConfigReader.SECTION, Map.of()).getOrDefault(key, ""))
                .filter(secret -> secret.length() >= MIN_MASKED_LENGTH)
                .toList();
        StringBuilder out = new StringBuilder();
        sections.forEach((name, values) -> {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append('[').append(name).append("]\n");
            values.forEach((key, value) -> {
                String shown = masked(ConfigMessages.shown(name, key, value), secrets).replace("\n", "\n    ");
                out.append(key).append(shown.isEmpty() ? " =" : " = " + shown).append('\n');
            });
        });
        return out.toString();
    }

    /** A secret copied into another key through {@code ${worker_secret}} is masked there too. */
    private static String masked(String value, List<String> secrets) {
        String result = value;
        for (String secret : secrets) {
            result = result.replace(secret, Secret.MASK);
        }
        return result;
    }

    /** The main configuration file: the {@code -c} file or {@code ./flamenco-worker.cfg}. */
    public Path mainFile() {
        return searched.get(0);
    }

    @Override
    public String toString() {
        return "LoadedConfig[filesRead=" + filesRead + ", warnings=" + warnings.size() + ", config=" + config + "]";
    }
}
