package org.flamenco.worker.command.ffmpeg;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Numbers written into arguments the way Python's {@code str()} writes them (commands.md §1.3): integers as
 * digits, other values in the shortest round-tripping form with at least one fractional digit, in exponent form
 * below 1e-4 and from 1e16.
 */
final class PythonNumber {
    private PythonNumber() {
    }

    static String format(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            return n.toString();
        }
        double d = n.doubleValue();
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
        double abs = Math.abs(d);
        if (abs >= 1e-4 && abs < 1e16) {
            String plain = shortest.stripTrailingZeros().toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        return exponentForm(shortest);
    }

    /** The decimal with the fewest significant digits that reads back to {@code d}. */
    private static BigDecimal shortest(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits));
            if (candidate.doubleValue() == d) {
                return candidate;
            }
        }
        return exact;
    }

    /** {@code 1e-05}, {@code 1.5e+16}: mantissa digits, then a sign and at least two exponent digits. */
    private static String exponentForm(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        String digits = stripped.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - stripped.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String sign = stripped.signum() < 0 ? "-" : "";
        String expSign = exponent < 0 ? "-" : "+";
        return sign + mantissa + "e" + expSign + String.format("%02d", Math.abs(exponent));
    }
}
