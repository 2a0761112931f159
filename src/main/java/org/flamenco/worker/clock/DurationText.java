package org.flamenco.worker.clock;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * How durations are written for people: the one formatter of the code base. {@link #seconds} writes a configured
 * value back as the user wrote it ({@code 10}, {@code 0.5}); {@link #compact} writes a measured one
 * ({@code 4.2s}, {@code 3m12s}, {@code 2h05m09s}).
 */
public final class DurationText {
    private DurationText() {
    }

    /** Seconds as the config wrote them: {@code 3600}, {@code 0.5}. */
    public static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
    }

    /**
     * A measured duration, rounded down to a tenth of a second below a minute and to whole seconds above it:
     * {@code 0.0s}, {@code 59.9s}, {@code 1m00s}, {@code 22m05s}, {@code 26h00m01s}. Negative durations count as 0.
     */
    public static String compact(Duration d) {
        long millis = Math.max(0, d.toMillis());
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%d.%ds", millis / 1000, millis % 1000 / 100);
        }
        long s = millis / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
    }
}
