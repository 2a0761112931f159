package org.flamenco.worker.command.blender;

import java.util.ArrayList;
import java.util.List;

import org.flamenco.worker.command.InvalidSettingException;

/**
 * Splits {@code blender_cmd} / {@code ffmpeg_cmd} into words with POSIX shell rules (commands.md §2.2).
 * TODO(phase 2): delegate to the framework's ShellWords once it is merged.
 */
public final class CommandWords {
    private CommandWords() {
    }

    /** The words of {@code value}; a split error names the setting: {@code "<key>" cannot be split into words}. */
    public static List<String> split(String key, String value) throws InvalidSettingException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\\') {
                if (i + 1 >= value.length()) {
                    throw splitError(key, "No escaped character");
                }
                word.append(value.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (c == '\'') {
                int end = value.indexOf('\'', i + 1);
                if (end < 0) {
                    throw splitError(key, "No closing quotation");
                }
                word.append(value, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(key, value, i + 1, word);
                inWord = true;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }

    private static int doubleQuoted(String key, String value, int from, StringBuilder word)
            throws InvalidSettingException {
        int i = from;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < value.length() && (value.charAt(i + 1) == '"' || value.charAt(i + 1) == '\\')) {
                word.append(value.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw splitError(key, "No closing quotation");
    }

    private static InvalidSettingException splitError(String key, String reason) {
        return new InvalidSettingException("\"" + key + "\" cannot be split into words: " + reason);
    }
}
