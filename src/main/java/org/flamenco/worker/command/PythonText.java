package org.flamenco.worker.command;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/** Text written the way the original (Python) worker wrote it (commands.md §1.3): {@code repr} and {@code str}. */
public final class PythonText {
    private PythonText() {
    }

    /**
     * Python {@code repr} of a string: single quotes unless the text contains {@code '} and no {@code "}; backslash,
     * the chosen quote, {@code \n}, {@code \r}, {@code \t} escaped; other control characters as {@code \xNN}.
     */
    public static String repr(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder(s.length() + 2).append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == q) {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(q).toString();
    }

    /**
     * Python {@code str} of a JSON number: integers as digits, other values in the shortest form that reads back
     * to the same double with at least one fractional digit ({@code 24.0}, {@code 0.5}), exponent form below 1e-4
     * and from 1e16 ({@code 1e-05}, {@code 1e+16}).
     */
    public static String number(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            return n.toString();
        }
        return number(n.doubleValue());
    }

    /** Python {@code str} of an integer: its digits. */
    public static String number(long n) {
        return Long.toString(n);
    }

    /** Python {@code str} of a float (see {@link #number(Number)}). */
    public static String number(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortest(d);
        String digits = shortest.unscaledValue().abs().toString();
        // value = 0.digits × 10^decpt
        int decpt = digits.length() - shortest.scale();
        String sign = d < 0 ? "-" : "";
        if (decpt <= -4 || decpt > 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int exp = decpt - 1;
            String e = String.format("%02d", Math.abs(exp));
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + e;
        }
        if (decpt <= 0) {
            return sign + "0." + "0".repeat(-decpt) + digits;
        }
        if (decpt >= digits.length()) {
            return sign + digits + "0".repeat(decpt - digits.length()) + ".0";
        }
        return sign + digits.substring(0, decpt) + "." + digits.substring(decpt);
    }

    private static BigDecimal shortest(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision));
            if (candidate.doubleValue() == d) {
                return candidate.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17)).stripTrailingZeros();
    }
}
