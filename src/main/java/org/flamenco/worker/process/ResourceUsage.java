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
 * @param measured     false when nothing but {@code wall} is known
 * @param memoryKnown  false where there is no {@code /proc}: {@code cpu} then comes from {@link ProcessHandle}
 *                     ({@link HandleCpuSampler}) and the memory is not known
 */
public record ResourceUsage(Duration wall, Duration cpu, long peakRssBytes, boolean measured, boolean memoryKnown) {
    private static final long KIB = 1024;
    private static final long MIB = KIB * 1024;
    private static final long GIB = MIB * 1024;

    public ResourceUsage {
        Objects.requireNonNull(wall, "wall");
        Objects.requireNonNull(cpu, "cpu");
    }

    /** Figures from {@code /proc} ({@code measured}: CPU and memory), or only {@code wall}. */
    public ResourceUsage(Duration wall, Duration cpu, long peakRssBytes, boolean measured) {
        this(wall, cpu, peakRssBytes, measured, measured);
    }

    /** Wall and CPU time without memory, where there is no {@code /proc}. */
    static ResourceUsage withoutMemory(Duration wall, Duration cpu) {
        return new ResourceUsage(wall, cpu, 0, true, false);
    }

    /**
     * {@code finished in 3m12s, CPU 22m05s, peak memory 18.2 GiB}; {@code peak memory unknown} when the tree ended
     * before its first sample; without /proc {@code finished in 3m12s, CPU 22m05s}, and only
     * {@code finished in 3m12s} when even the CPU time is not known.
     */
    public String describe() {
        String text = "finished in " + DurationText.compact(wall);
        if (!measured) {
            return text;
        }
        if (!memoryKnown) {
            return text + ", CPU " + DurationText.compact(cpu);
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
