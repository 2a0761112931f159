package org.flamenco.worker.outbox;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Log line text helpers: the capture-time prefix (protocol-v2.md §4.6) and UTF-8 sizes. */
final class LogLine {
    private LogLine() {
    }

    /** The formatted date and time of the last second a line was captured in (racy but immutable: safe). */
    private static Second lastSecond = new Second(Long.MIN_VALUE, "");

    private record Second(long epochSecond, String text) {
    }

    /**
     * {@code 2020-03-12T10:00:00.123456+00:00}: always six fractional digits, left out only when the microseconds
     * are exactly 0.
     */
    static String timestamp(Instant instant) {
        return appendTimestamp(new StringBuilder(32), instant).toString();
    }

    /** The line as captured: timestamp, {@code ": "}, text. */
    static String prefixed(Instant instant, String line) {
        return appendTimestamp(new StringBuilder(40 + line.length()), instant).append(": ").append(line).toString();
    }

    private static StringBuilder appendTimestamp(StringBuilder sb, Instant instant) {
        Second second = lastSecond;
        if (second.epochSecond() != instant.getEpochSecond()) {
            second = new Second(instant.getEpochSecond(), formatSecond(instant.getEpochSecond()));
            lastSecond = second;
        }
        sb.append(second.text());
        int micros = instant.getNano() / 1000;
        if (micros != 0) {
            pad(sb.append('.'), micros, 6);
        }
        return sb.append("+00:00");
    }

    private static String formatSecond(long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(20);
        pad(sb, t.getYear(), 4).append('-');
        pad(sb, t.getMonthValue(), 2).append('-');
        pad(sb, t.getDayOfMonth(), 2).append('T');
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2);
        return sb.toString();
    }

    /**
     * Number of bytes of {@code s} in UTF-8, or -1 when {@code s} holds a newline: {@link #utf8Length} and a search
     * for {@code '\n'} in one pass (capture does both for every output line).
     */
    static long utf8LengthOfOneLine(String s) {
        return utf8Length(s, true);
    }

    /** Number of bytes of {@code s} in UTF-8. */
    static long utf8Length(String s) {
        return utf8Length(s, false);
    }

    private static long utf8Length(String s, boolean newlineMeansMinusOne) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == '\n' && newlineMeansMinusOne) {
                    return -1;
                }
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isSurrogate(c)) {
                n += 2; // a pair makes 4 bytes
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = digits; i < width; i++) {
            sb.append('0');
        }
        return sb.append(value);
    }
}
