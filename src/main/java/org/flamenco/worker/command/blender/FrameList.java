package org.flamenco.worker.command.blender;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Blender frame list such as {@code 1..10}, {@code 3} or {@code 1,3,5..8} (commands.md §4.3 step 6): non-negative
 * integers and {@code a..b} ranges with a ≤ b, in the order given. Kept as ranges so {@code 1..1000000} stays small.
 */
public final class FrameList {
    private static final Pattern ITEM = Pattern.compile("(\\d{1,9})(?:\\.\\.(\\d{1,9}))?");

    private record Range(int start, int end) {
        int size() {
            return end - start + 1;
        }
    }

    private final List<Range> ranges;
    private final long count;

    private FrameList(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
        this.count = ranges.stream().mapToLong(Range::size).sum();
    }

    /** The parsed list, or empty when the text is not such a list or names no frame. */
    public static Optional<FrameList> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        List<Range> ranges = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            Matcher m = ITEM.matcher(item.trim());
            if (!m.matches()) {
                return Optional.empty();
            }
            int start = Integer.parseInt(m.group(1));
            int end = m.group(2) == null ? start : Integer.parseInt(m.group(2));
            if (end < start) {
                return Optional.empty();
            }
            ranges.add(new Range(start, end));
        }
        return Optional.of(new FrameList(ranges));
    }

    /** How many frames the list names (a frame named twice counts twice, as Blender renders it twice). */
    public long count() {
        return count;
    }

    /** The index of the first occurrence of {@code frame}, if listed. */
    public OptionalInt positionOf(int frame) {
        long offset = 0;
        for (Range r : ranges) {
            if (frame >= r.start() && frame <= r.end()) {
                return OptionalInt.of((int) (offset + frame - r.start()));
            }
            offset += r.size();
        }
        return OptionalInt.empty();
    }

    /** The listed frames that are not in {@code seen}, at most {@code limit} of them, in list order. */
    public List<Integer> framesNotIn(java.util.Set<Integer> seen, int limit) {
        List<Integer> out = new ArrayList<>();
        for (Range r : ranges) {
            for (int f = r.start(); f <= r.end() && out.size() < limit; f++) {
                if (!seen.contains(f) && !out.contains(f)) {
                    out.add(f);
                }
            }
        }
        return List.copyOf(out);
    }
}
