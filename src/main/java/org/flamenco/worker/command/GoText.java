package org.flamenco.worker.command;

import java.math.BigDecimal;

/** Text written the way the Flamenco 3 (Go) worker writes it: {@code %q} quoting and {@code time.Duration}. */
public final class GoText {
    private static final long MICRO = 1_000L;
    private static final long MILLI = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private GoText() {
    }

    /** Go's {@code strconv.Quote}: double quotes; {@code \"}, {@code \\}, {@code \n}, … escaped. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        sb.append(String.format("\\x%02x", cp));
                    } else if (Character.isISOControl(cp)) {
                        sb.append(String.format("\\u%04x", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }

    /** Go's {@code time.Duration.String()} of {@code nanos}: {@code 0s}, {@code 1.5s}, {@code 2m0s}, {@code 250ms}. */
    public static String duration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        long n = Math.abs(nanos);
        if (n < MICRO) {
            return sign + n + "ns";
        }
        if (n < MILLI) {
            return sign + decimal(n, MICRO) + "µs";
        }
        if (n < SECOND) {
            return sign + decimal(n, MILLI) + "ms";
        }
        long hours = n / (3600 * SECOND);
        long minutes = n / (60 * SECOND) % 60;
        String seconds = decimal(n % (60 * SECOND), SECOND) + "s";
        if (hours > 0) {
            return sign + hours + "h" + minutes + "m" + seconds;
        }
        return sign + (minutes > 0 ? minutes + "m" : "") + seconds;
    }

    private static String decimal(long value, long unit) {
        return BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros().toPlainString();
    }
}
