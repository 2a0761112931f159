package org.flamenco.worker.command.blender;

/**
 * Python {@code repr()} quoting of a string (commands.md §1.3 "repr-quoted"). Used in validation messages and to
 * embed paths in generated Blender scripts as proper Python string literals; the FFmpeg commands use it for their
 * messages too.
 */
public final class PythonRepr {
    private PythonRepr() {
    }

    /** {@code abc} → {@code 'abc'}; {@code it's} → {@code "it's"}; backslashes, quotes and controls escaped. */
    public static String quote(String text) {
        char q = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder(text.length() + 2).append(q);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                sb.append("\\\\");
            } else if (c == q) {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(q).toString();
    }
}
