package org.flamenco.worker.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The log text of one task update: timestamped lines joined with {@code \n}, held as the UTF-8 pieces they were
 * queued in (one piece per queued element or run of lines), so the sender can go from the queue file to the request
 * body without decoding to a {@code String} and encoding back. Immutable and thread-safe; the {@code String} form is
 * made on first use only.
 *
 * <p>Pieces are joined with {@code \n}. Bytes that are not valid UTF-8 (a damaged queue file) become U+FFFD
 * replacement characters (the JSON form replaces each malformed byte, the string form each malformed sequence), so
 * the JSON the Manager gets is always valid UTF-8.
 */
public final class LogText {
    /**
     * For each byte: 0 when it goes into a JSON string as is, {@link #NON_ASCII} for the bytes of a multi-byte
     * character (checked, then copied), else the character after its backslash.
     */
    private static final byte[] ESCAPE = new byte[256];
    private static final byte NON_ASCII = 1;
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPE[c] = 'u';
        }
        ESCAPE['\n'] = 'n';
        ESCAPE['\r'] = 'r';
        ESCAPE['\t'] = 't';
        ESCAPE['\b'] = 'b';
        ESCAPE['\f'] = 'f';
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
        for (int c = 0x80; c < 0x100; c++) {
            ESCAPE[c] = NON_ASCII;
        }
    }

    private final byte[][] pieces;
    private final int utf8Length;
    private volatile String text;
    private volatile Json json;

    /**
     * The content of the JSON string for a log text (without the quotes), UTF-8 encoded: the first {@code length}
     * bytes of {@code bytes}. Shared; must not be modified.
     */
    public record Json(byte[] bytes, int length) {
    }

    private LogText(byte[][] pieces, String text) {
        this.pieces = pieces;
        int length = Math.max(0, pieces.length - 1);
        for (byte[] p : pieces) {
            length += p.length;
        }
        this.utf8Length = length;
        this.text = text;
    }

    public static LogText of(String text) {
        return new LogText(new byte[][] {text.getBytes(StandardCharsets.UTF_8)}, text);
    }

    /** Pieces of UTF-8 text that are joined with {@code \n}; the arrays are not copied and must not change. */
    public static LogText ofUtf8(List<byte[]> pieces) {
        return new LogText(pieces.toArray(new byte[0][]), null);
    }

    public boolean isEmpty() {
        return utf8Length == 0;
    }

    /** Length of the text in UTF-8 bytes. */
    public int utf8Length() {
        return utf8Length;
    }

    /** The text itself. */
    public String text() {
        String t = text;
        if (t == null) {
            byte[] joined = new byte[utf8Length];
            int o = 0;
            for (int i = 0; i < pieces.length; i++) {
                if (i > 0) {
                    joined[o++] = '\n';
                }
                System.arraycopy(pieces[i], 0, joined, o, pieces[i].length);
                o += pieces[i].length;
            }
            t = new String(joined, StandardCharsets.UTF_8);
            text = t;
        }
        return t;
    }

    /**
     * The content of the JSON string for this text (without the quotes), UTF-8 encoded, escaped as Jackson does:
     * the short escapes for {@code \n \r \t \b \f " \\}, {@code \}{@code u00XX} for other control characters,
     * everything else as is (characters outside the BMP stay UTF-8, which decodes the same as Jackson's surrogate
     * pair escapes), malformed UTF-8 as U+FFFD. Made on first use and kept, so a thread that prepares the next
     * request can take the work off the thread that sends.
     */
    public Json json() {
        Json j = json;
        if (j == null) {
            j = escape();
            json = j;
        }
        return j;
    }

    private Json escape() {
        byte[] out = new byte[utf8Length + (utf8Length >> 4) + 16];
        int o = 0;
        for (int i = 0; i < pieces.length; i++) {
            if (i > 0) {
                if (o + 2 > out.length) {
                    out = Arrays.copyOf(out, grow(out.length, 2));
                }
                out[o++] = '\\';
                out[o++] = 'n';
            }
            byte[] p = pieces[i];
            int n = p.length;
            int start = 0;
            while (start < n) {
                int end = start;
                while (end < n && ESCAPE[p[end] & 0xFF] == 0) {
                    end++;
                }
                int run = end - start;
                // Room for the run and one escape of up to 6 bytes after it.
                if (o + run + 6 > out.length) {
                    out = Arrays.copyOf(out, grow(out.length, run + 6));
                }
                System.arraycopy(p, start, out, o, run);
                o += run;
                if (end < n) {
                    byte b = p[end];
                    byte e = ESCAPE[b & 0xFF];
                    if (e == NON_ASCII) {
                        int len = sequenceLength(p, end);
                        if (len == 0) {
                            System.arraycopy(REPLACEMENT, 0, out, o, REPLACEMENT.length);
                            o += REPLACEMENT.length;
                            len = 1;
                        } else {
                            System.arraycopy(p, end, out, o, len);
                            o += len;
                        }
                        end += len;
                    } else {
                        out[o++] = '\\';
                        out[o++] = e;
                        if (e == 'u') {
                            out[o++] = '0';
                            out[o++] = '0';
                            out[o++] = HEX[b >> 4];
                            out[o++] = HEX[b & 0xF];
                        }
                        end++;
                    }
                }
                start = end;
            }
        }
        return new Json(out, o);
    }

    private static int grow(int current, int needed) {
        return Math.max(current + needed, current + (current >> 1) + 16);
    }

    /** Length of the well-formed UTF-8 sequence (RFC 3629) starting at {@code i}, or 0 when it is malformed. */
    private static int sequenceLength(byte[] b, int i) {
        int lead = b[i] & 0xFF;
        int len;
        int min2;
        int max2 = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            len = 2;
            min2 = 0x80;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            len = 3;
            min2 = lead == 0xE0 ? 0xA0 : 0x80;
            max2 = lead == 0xED ? 0x9F : 0xBF; // no surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            len = 4;
            min2 = lead == 0xF0 ? 0x90 : 0x80;
            max2 = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            return 0;
        }
        if (i + len > b.length) {
            return 0;
        }
        int second = b[i + 1] & 0xFF;
        if (second < min2 || second > max2) {
            return 0;
        }
        for (int k = 2; k < len; k++) {
            int c = b[i + k] & 0xFF;
            if (c < 0x80 || c > 0xBF) {
                return 0;
            }
        }
        return len;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogText other && other.text().equals(text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }

    /** The text itself (log text is not secret). */
    @Override
    public String toString() {
        return text();
    }
}
