package org.flamenco.worker.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.flamenco.worker.model.Credentials;

/** The text edit of the credentials file (worker-behaviour.md §3 step 2), apart from the file handling. */
final class CredentialsText {

    private CredentialsText() {
    }

    /**
     * The new file text: the two keys replaced in place within {@code [flamenco-worker]} (or appended to it), every
     * other line untouched, including its line ending.
     */
    static String updated(String old, Credentials credentials) {
        return updated(old, WorkerConfigReader.SECTION, credentials);
    }

    /** As {@link #updated(String, Credentials)}, in the section named {@code sectionName} (without brackets). */
    static String updated(String old, String sectionName, Credentials credentials) {
        String section = "[" + sectionName + "]";
        List<String> lines = splitKeepingEndings(old);
        String newline = old.contains("\r\n") ? "\r\n" : "\n";
        String[] keys = {"worker_id", "worker_secret"};
        String[] values = {credentials.workerId(), credentials.secret().reveal()};
        boolean[] done = new boolean[keys.length];
        int sectionEnd = replaceInPlace(lines, section, keys, values, done);
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < keys.length; k++) {
            if (!done[k]) {
                missing.add(keys[k] + " = " + values[k] + newline);
            }
        }
        if (missing.isEmpty()) {
            return String.join("", lines);
        }
        if (sectionEnd < 0) {
            if (!lines.isEmpty()) {
                missing.add(0, newline);
            }
            missing.add(lines.isEmpty() ? 0 : 1, section + newline);
            sectionEnd = lines.size();
        }
        if (sectionEnd > 0 && ending(lines.get(sectionEnd - 1)).isEmpty()) {
            lines.set(sectionEnd - 1, lines.get(sectionEnd - 1) + newline); // the old last line had no newline
        }
        lines.addAll(sectionEnd, missing);
        return String.join("", lines);
    }

    /**
     * Replaces the first line setting each key inside the section and marks it done.
     *
     * @return the index after the section's last key line (or its header), -1 when there is no such section
     */
    private static int replaceInPlace(List<String> lines, String section, String[] keys, String[] values,
                                      boolean[] done) {
        int sectionEnd = -1;
        boolean inSection = false;
        for (int i = 0; i < lines.size(); i++) {
            String text = content(lines.get(i));
            String stripped = text.strip();
            boolean indented = !text.isEmpty() && Character.isWhitespace(text.charAt(0));
            if (stripped.startsWith("[") && stripped.lastIndexOf(']') > 1 && !indented) {
                inSection = stripped.equals(section);
                sectionEnd = inSection ? i + 1 : sectionEnd;
                continue;
            }
            if (!inSection || stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
                continue;
            }
            sectionEnd = i + 1;
            int k = indented ? -1 : keyIndex(stripped, keys);
            if (k >= 0 && !done[k]) {
                lines.set(i, keys[k] + " = " + values[k] + ending(lines.get(i)));
                done[k] = true;
            }
        }
        return sectionEnd;
    }

    /** Index of the key this {@code key = value} line sets, or -1. */
    private static int keyIndex(String stripped, String[] keys) {
        int delimiter = -1;
        for (int i = 0; i < stripped.length() && delimiter < 0; i++) {
            if (stripped.charAt(i) == '=' || stripped.charAt(i) == ':') {
                delimiter = i;
            }
        }
        if (delimiter < 0) {
            return -1;
        }
        String key = stripped.substring(0, delimiter).strip().toLowerCase(Locale.ROOT);
        for (int k = 0; k < keys.length; k++) {
            if (keys[k].equals(key)) {
                return k;
            }
        }
        return -1;
    }

    private static List<String> splitKeepingEndings(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    private static String content(String line) {
        return line.substring(0, line.length() - ending(line).length());
    }

    private static String ending(String line) {
        if (line.endsWith("\r\n")) {
            return "\r\n";
        }
        return line.endsWith("\n") ? "\n" : "";
    }
}
