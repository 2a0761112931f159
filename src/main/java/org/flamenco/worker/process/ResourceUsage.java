package org.flamenco.worker.process;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import org.flamenco.worker.clock.DurationText;

/**
 * What a process tree used so far, or in all (see {@link TreeSampler} for how it is measured).
 *
 * @param wall         time since the start
 * @param cpu          user + system CPU time of the whole tree, processes that already exited included
 * @param peakRssBytes the highest resident memory of the tree's processes together
 * @param measured     false where there is no {@code /proc}: then only {@code wall} is known
 */
public record ResourceUsage(Duration wall, Duration cpu, long peakRssBytes, boolean measured) {
    private static final long KIB = 1024;
    private static final long MIB = KIB * 1024;
    private static final long GIB = MIB * 1024;

    public ResourceUsage {
        Objects.requireNonNull(wall, "wall");
        Objects.requireNonNull(cpu, "cpu");
    }

    /**
     * {@code finished in 3m12s, CPU 22m05s, peak memory 18.2 GiB}; {@code peak memory unknown} when the tree ended
     * before its first sample; without /proc only {@code finished in 3m12s}.
     */
    public String describe() {
        String text = "finished in " + DurationText.compact(wall);
        if (!measured) {
            return text;
        }
        return text + ", CPU " + DurationText.compact(cpu) + ", peak memory " + peakMemory();
    }

    /** {@code 18.2 GiB}, or {@code unknown} when no sample saw the tree. */
    public String peakMemory() {
        return peakRssBytes > 0 ? memory(peakRssBytes) : "unknown";
    }

    /** {@code 18.2 GiB}, {@code 512.0 MiB}, {@code 900 KiB}. */
    public static String memory(long bytes) {
        if (bytes >= GIB) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
        }
        if (bytes >= MIB) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
        }
        return bytes / KIB + " KiB";
    }
}
