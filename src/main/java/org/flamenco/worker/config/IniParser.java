package org.flamenco.worker.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one INI file the way Python's {@code configparser} does in its default dialect (the original worker's
 * reader, worker-behaviour.md §2.1): full-line {@code #}/{@code ;} comments only, {@code =} or {@code :} between key
 * and value, keys lower-cased, indented lines continue the previous value, blank lines inside a continued value are
 * kept, duplicate sections/keys in one file are errors. Backslashes and {@code %} are literal; {@code $}
 * interpolation happens later, on the merged layers ({@link Interpolator}).
 *
 * <p>We do not use ini4j here: it cannot report duplicates, treats backslashes as escapes and has different
 * continuation rules, and correctness against files the original accepted matters more.
 */
final class IniParser {
    private IniParser() {
    }

    /** Section name → (lower-case key → value), both in file order. */
    static Map<String, Map<String, RawValue>> parse(Path file) throws ConfigException {
        return parse(file, read(file));
    }

    static Map<String, Map<String, RawValue>> parse(Path file, String text) throws ConfigException {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        List<String> currentValue = null;
        int indentLevel = Integer.MAX_VALUE;
        String[] lines = text.split("\r\n|\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String stripped = line.strip();
            boolean comment = stripped.startsWith("#") || stripped.startsWith(";");
            if (comment || stripped.isEmpty()) {
                if (!comment && currentValue != null) {
                    currentValue.add(""); // kept only when more continuation lines follow (trailing ones trimmed)
                }
                continue;
            }
            int indent = indentOf(line);
            if (currentValue != null && indent > indentLevel) {
                currentValue.add(stripped);
                continue;
            }
            indentLevel = indent;
            String where = file + ": line " + (i + 1) + ": ";
            int close = stripped.lastIndexOf(']');
            if (stripped.startsWith("[") && close > 1) {
                String name = stripped.substring(1, close);
                if (sections.containsKey(name)) {
                    throw new ConfigException(where + "section [" + name + "] appears twice");
                }
                current = new LinkedHashMap<>();
                sections.put(name, current);
                currentValue = null;
                continue;
            }
            if (current == null) {
                throw new ConfigException(where + "expected a [section] header before the first key");
            }
            int delimiter = firstDelimiter(stripped);
            String key = delimiter < 0 ? "" : stripped.substring(0, delimiter).strip().toLowerCase(Locale.ROOT);
            if (key.isEmpty()) {
                throw new ConfigException(where + "expected \"key = value\" or \"key: value\"");
            }
            if (current.containsKey(key)) {
                throw new ConfigException(where + "key \"" + key + "\" appears twice in the same section");
            }
            currentValue = new ArrayList<>();
            currentValue.add(stripped.substring(delimiter + 1).strip());
            current.put(key, currentValue);
        }
        return join(file, sections);
    }

    private static Map<String, Map<String, RawValue>> join(Path file, Map<String, Map<String, List<String>>> parsed) {
        Map<String, Map<String, RawValue>> result = new LinkedHashMap<>();
        parsed.forEach((section, keys) -> {
            Map<String, RawValue> values = new LinkedHashMap<>();
            keys.forEach((key, parts) -> values.put(key,
                    new RawValue(String.join("\n", parts).stripTrailing(), file.toString())));
            result.put(section, values);
        });
        return result;
    }

    private static int firstDelimiter(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The reason in the words of the system ({@code Permission denied}), not only the path the JDK repeats. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String read(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + reason(e), e);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": expected UTF-8 text, found invalid bytes", e);
        }
    }
}
