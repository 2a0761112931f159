package org.flamenco.worker.command.blender;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields of one Blender {@code Fra:} progress line (commands.md §4.3 step 3), for every supported Blender
 * series: 2.8x–4.x ({@code Fra:10 Mem:17.52M (Peak 33.47M) | Time:00:04.17 | … | Sample 12/64}) and 5.x
 * ({@code Fra: 4 | Mem: 6M | Sample 24/24}, after the log prefix is removed by {@link #normalise}).
 *
 * @param frame     the frame number
 * @param mem       memory as printed, e.g. {@code 17.52M}, or empty
 * @param peak      peak memory as printed, or empty
 * @param time      render time as printed, e.g. {@code 00:04.17}, or empty
 * @param remaining remaining time as printed, or empty
 * @param status    the text after the last {@code |}, trimmed, or empty when the line has no {@code |}
 * @param samples   the sample/tile fraction in [0, 1], when the line shows one
 */
public record BlenderProgressLine(int frame, Optional<String> mem, Optional<String> peak, Optional<String> time,
                                  Optional<String> remaining, Optional<String> status, OptionalDouble samples) {
    private static final Pattern BLENDER5_PREFIX = Pattern.compile("^[0-9:.]+\\s+[A-Za-z_.]+\\s+\\|\\s+");
    private static final Pattern FRAME = Pattern.compile("^Fra:\\s*(\\d+)");
    private static final Pattern MEM = Pattern.compile("Mem:\\s*([^\\s|(,]+)");
    private static final Pattern PEAK = Pattern.compile("Peak:?\\s*([^\\s|),]+)");
    private static final Pattern TIME = Pattern.compile("\\|\\s*Time:\\s*((\\d+:)?\\d+:\\d+\\.\\d+)");
    private static final Pattern REMAINING = Pattern.compile("\\|\\s*Remaining:\\s*((\\d+:)?\\d+:\\d+\\.\\d+)");
    private static final List<Pattern> SAMPLES = List.of(
            Pattern.compile("Sample (\\d+)/(\\d+)"),
            Pattern.compile("Rendering (\\d+) / (\\d+) samples"),
            Pattern.compile("Path Tracing Tile (\\d+)/(\\d+)"));

    /** The line without the {@code 00:03.906  render | } prefix Blender 5 puts before log lines. */
    public static String normalise(String line) {
        return BLENDER5_PREFIX.matcher(line).replaceFirst("");
    }

    /** The fields of a normalised line, or empty when it is not a progress line. */
    public static Optional<BlenderProgressLine> parse(String normalised) {
        Matcher fm = FRAME.matcher(normalised);
        if (!fm.find()) {
            return Optional.empty();
        }
        int frame;
        try {
            frame = Integer.parseInt(fm.group(1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        int bar = normalised.lastIndexOf('|');
        Optional<String> status = bar < 0 ? Optional.empty() : Optional.of(normalised.substring(bar + 1).trim());
        return Optional.of(new BlenderProgressLine(frame, first(MEM, normalised), first(PEAK, normalised),
                first(TIME, normalised), first(REMAINING, normalised), status, samples(normalised)));
    }

    /** {@code 03:00:04.17} → 10804.17 s: 3600 h + 60 m + s + hundredths / 100. */
    public static double seconds(String printed) {
        String[] clock = printed.split(":");
        double total = 0;
        for (int i = 0; i < clock.length - 1; i++) {
            total = total * 60 + Integer.parseInt(clock[i]);
        }
        String[] secs = clock[clock.length - 1].split("\\.");
        return total * 60 + Integer.parseInt(secs[0]) + Integer.parseInt(secs[1]) / 100.0;
    }

    /** The activity text of step 5: {@code Fra:<f> Mem:<m> | Time:<t> | Remaining:<r> | <status>}. */
    public String activity() {
        StringBuilder sb = new StringBuilder("Fra:").append(frame);
        mem.ifPresent(m -> sb.append(" Mem:").append(m));
        time.ifPresent(t -> sb.append(" | Time:").append(t));
        remaining.ifPresent(r -> sb.append(" | Remaining:").append(r));
        status.filter(s -> !s.isEmpty()).ifPresent(s -> sb.append(" | ").append(s));
        return sb.toString();
    }

    private static Optional<String> first(Pattern p, String line) {
        Matcher m = p.matcher(line);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static OptionalDouble samples(String line) {
        for (Pattern p : SAMPLES) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                double done = Double.parseDouble(m.group(1));
                double total = Double.parseDouble(m.group(2));
                return total <= 0 ? OptionalDouble.empty() : OptionalDouble.of(Math.min(1.0, done / total));
            }
        }
        return OptionalDouble.empty();
    }
}
