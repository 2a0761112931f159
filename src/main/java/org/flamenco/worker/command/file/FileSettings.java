package org.flamenco.worker.command.file;

import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.Settings;

/** Setting reads shared by the file commands. */
final class FileSettings {
    private FileSettings() {
    }

    /** A required string that may not be empty: {@code emptyMessage} when it is. */
    static String nonEmpty(Settings settings, String key, String emptyMessage) throws InvalidSettingException {
        String value = settings.requireString(key);
        if (value.isEmpty()) {
            throw new InvalidSettingException(emptyMessage);
        }
        return value;
    }
}
