package org.flamenco.worker.command;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * POSIX shell words, exactly as Python's {@code shlex.split} (posix mode, comments off) splits them and
 * {@code shlex.quote} quotes them (commands.md §2.2, §2.3).
 */
public final class ShellWords {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    private static final char NONE = 0;
    private static final char WHITESPACE = ' ';
    private static final char WORD = 'a';

    private ShellWords() {
    }

    /**
     * Splits {@code text} into words.
     *
     * @throws ShellWordsException {@code No closing quotation} or {@code No escaped character}
     */
    public static List<String> split(String text) throws ShellWordsException {
        List<String> words = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean quoted = false;
        char state = WHITESPACE;
        char escapedState = WORD;
        int i = 0;
        while (true) {
            boolean eof = i >= text.length();
            char c = eof ? NONE : text.charAt(i++);
            if (state == WHITESPACE || state == WORD) {
                if (eof) {
                    if (token.length() > 0 || quoted) {
                        words.add(token.toString());
                    }
                    return List.copyOf(words);
                } else if (isWhitespace(c)) {
                    if (token.length() > 0 || quoted) {
                        words.add(token.toString());
                        token.setLength(0);
                        quoted = false;
                    }
                    state = WHITESPACE;
                } else if (c == '\\') {
                    escapedState = WORD;
                    state = c;
                } else if (c == '\'' || c == '"') {
                    state = c;
                } else {
                    token.append(c);
                    state = WORD;
                }
            } else if (state == '\'' || state == '"') {
                quoted = true;
                if (eof) {
                    throw new ShellWordsException("No closing quotation");
                } else if (c == state) {
                    state = WORD;
                } else if (c == '\\' && state == '"') {
                    escapedState = state;
                    state = c;
                } else {
                    token.append(c);
                }
            } else { // escape: the character after a backslash
                if (eof) {
                    throw new ShellWordsException("No escaped character");
                }
                if (escapedState == '"' && c != '\\' && c != escapedState) {
                    token.append('\\');
                }
                token.append(c);
                state = escapedState;
            }
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** One word quoted for a POSIX shell: bare when safe, {@code ''} when empty, else {@code '…'}. */
    public static String quote(String word) {
        if (word.isEmpty()) {
            return "''";
        }
        if (SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }

    /** The argument list as it is written into logs and messages: quoted words joined with single spaces. */
    public static String join(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String word : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quote(word));
        }
        return sb.toString();
    }
}
