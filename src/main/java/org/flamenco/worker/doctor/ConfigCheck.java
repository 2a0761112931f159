package org.flamenco.worker.doctor;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import org.flamenco.worker.config.ConfigException;
import org.flamenco.worker.config.ConfigLoader;
import org.flamenco.worker.config.LoadedConfig;

/**
 * Check 1: the configuration loads with exactly the worker's layering (worker-behaviour.md §2.2). Lists the files
 * read; the loader's warnings (unknown keys, sections) make it a warning; a {@link ConfigException} is a failure
 * whose one line is the hint.
 */
final class ConfigCheck {
    static final String NAME = "config";

    private final ConfigLoader loader;
    private final Optional<Path> explicitFile;

    ConfigCheck(ConfigLoader loader, Optional<Path> explicitFile) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.explicitFile = Objects.requireNonNull(explicitFile, "explicitFile");
    }

    /** The result, and the configuration when it loaded. */
    record Outcome(CheckResult result, Optional<LoadedConfig> loaded) {
    }

    Outcome run() {
        LoadedConfig loaded;
        try {
            loaded = loader.load(explicitFile);
        } catch (ConfigException e) {
            return new Outcome(CheckResult.fail(NAME, "configuration cannot be loaded", e.getMessage()),
                    Optional.empty());
        }
        String files = loaded.filesRead().stream().map(Path::toString).collect(Collectors.joining(", "));
        String detail = "read " + files;
        CheckResult result = loaded.warnings().isEmpty()
                ? CheckResult.ok(NAME, detail)
                : CheckResult.warn(NAME, detail + "; " + loaded.warnings().size() + " warning(s): "
                        + String.join("; ", loaded.warnings()), "see flamenco-worker.cfg.example for every key");
        return new Outcome(result, Optional.of(loaded));
    }
}
