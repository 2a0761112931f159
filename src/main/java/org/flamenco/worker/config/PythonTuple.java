package org.flamenco.worker.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Just enough of a Python tuple literal to read a logging handler's {@code args}, such as
 * {@code ('/tmp/flamenco-worker.log', 'midnight', 1, 7, 'utf8', True, True)}: quoted strings (with an optional
 * {@code r} prefix; {@code \\}, {@code \'} and {@code \"} unescaped, other backslashes kept) and bare words.
 */
final class PythonTuple {
    /** One element; {@code quoted} tells a string literal from a bare word such as {@code 7} or {@code True}. */
    record Element(String text, boolean quoted) {
    }

    private PythonTuple() {
    }

    /** The elements, or empty when the text is not a tuple literal of this simple kind. */
    static Optional<List<Element>> parse(String literal) {
        String text = literal.strip();
        if (!text.startsWith("(") || !text.endsWith(")")) {
            return Optional.empty();
        }
        List<Element> elements = new ArrayList<>();
        int i = 1;
        int end = text.length() - 1;
        while (true) {
            i = skipSpace(text, i, end);
            if (i >= end) {
                return Optional.of(elements);
            }
            int next;
            boolean raw = (text.charAt(i) == 'r' || text.charAt(i) == 'R') && i + 1 < end
                    && (text.charAt(i + 1) == '\'' || text.charAt(i + 1) == '"');
            if (raw || text.charAt(i) == '\'' || text.charAt(i) == '"') {
                StringBuilder value = new StringBuilder();
                next = readString(text, raw ? i + 1 : i, end, raw, value);
                if (next < 0) {
                    return Optional.empty();
                }
                elements.add(new Element(value.toString(), true));
            } else {
                next = i;
                while (next < end && text.charAt(next) != ',') {
                    next++;
                }
                String word = text.substring(i, next).strip();
                if (word.isEmpty() || word.contains("(") || word.contains("'") || word.contains("\"")) {
                    return Optional.empty();
                }
                elements.add(new Element(word, false));
            }
            next = skipSpace(text, next, end);
            if (next < end && text.charAt(next) != ',') {
                return Optional.empty();
            }
            i = next + 1;
        }
    }

    /** Reads a string literal starting at the quote; returns the index after it, or -1 when it is not closed. */
    private static int readString(String text, int start, int end, boolean raw, StringBuilder value) {
        char quote = text.charAt(start);
        int i = start + 1;
        while (i < end) {
            char c = text.charAt(i);
            if (c == quote) {
                return i + 1;
            }
            if (c == '\\' && i + 1 < end) {
                char escaped = text.charAt(i + 1);
                boolean known = escaped == '\\' || escaped == '\'' || escaped == '"';
                if (known && !raw) {
                    value.append(escaped);
                } else {
                    value.append(c).append(escaped);
                }
                i += 2;
                continue;
            }
            value.append(c);
            i++;
        }
        return -1;
    }

    private static int skipSpace(String text, int i, int end) {
        while (i < end && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
