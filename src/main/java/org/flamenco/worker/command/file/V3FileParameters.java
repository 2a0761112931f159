package org.flamenco.worker.command.file;

import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.Settings;

/** Parameter reads shared by the Flamenco 3 file commands (commands.md §7). */
final class V3FileParameters {
    private V3FileParameters() {
    }

    /** A required, non-empty path string. */
    static String path(Settings settings, String key) throws InvalidSettingException {
        if (!settings.containsKey(key)) {
            throw new InvalidSettingException("Missing \"" + key + "\" (a path)");
        }
        String value = settings.requireString(key);
        if (value.isEmpty()) {
            throw new InvalidSettingException("\"" + key + "\" may not be empty (a path)");
        }
        return value;
    }

    /** A required absolute path string. */
    static String absolutePath(Settings settings, String key) throws InvalidSettingException {
        String value = path(settings, key);
        if (!java.nio.file.Path.of(value).isAbsolute()) {
            throw new InvalidSettingException("\"" + key + "\" must be an absolute path, not " + value);
        }
        return value;
    }
}
