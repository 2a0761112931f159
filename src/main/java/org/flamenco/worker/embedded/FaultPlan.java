package org.flamenco.worker.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fault injection rules of the {@link EmbeddedManager}: canned replies for the next N matching requests, and
 * per-prefix reply delays. Not thread-safe: used under the {@link ManagerState} lock.
 */
final class FaultPlan {
    private static final class Canned {
        final String pathPrefix;
        final CannedReply reply;
        int remaining;

        Canned(String pathPrefix, CannedReply reply, int remaining) {
            this.pathPrefix = pathPrefix;
            this.reply = reply;
            this.remaining = remaining;
        }
    }

    /** How long a reply is held back, and whether the request is applied before ({@code true}) or after. */
    record Delay(Duration duration, boolean afterProcessing) {
        static final Delay NONE = new Delay(Duration.ZERO, false);
    }

    private final List<Canned> canned = new ArrayList<>();
    private final Map<String, Delay> delays = new LinkedHashMap<>();

    void answerNext(int count, String pathPrefix, CannedReply reply) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
        if (count > 0) {
            canned.add(new Canned(pathPrefix, reply, count));
        }
    }

    /** The canned reply for this request, consuming one use of the oldest matching rule. */
    Optional<CannedReply> take(String path) {
        Iterator<Canned> it = canned.iterator();
        while (it.hasNext()) {
            Canned c = it.next();
            if (matches(c.pathPrefix, path)) {
                c.remaining--;
                if (c.remaining == 0) {
                    it.remove();
                }
                return Optional.of(c.reply);
            }
        }
        return Optional.empty();
    }

    /** {@code prefix} matches paths starting with it; a prefix ending in {@code $} only that exact path. */
    private static boolean matches(String prefix, String path) {
        return prefix.endsWith("$") ? path.equals(prefix.substring(0, prefix.length() - 1)) : path.startsWith(prefix);
    }

    int pendingCannedReplies() {
        return canned.stream().mapToInt(c -> c.remaining).sum();
    }

    void delay(String pathPrefix, Duration delay, boolean afterProcessing) {
        if (delay.isZero() || delay.isNegative()) {
            delays.remove(pathPrefix);
        } else {
            delays.put(pathPrefix, new Delay(delay, afterProcessing));
        }
    }

    /** The delay of the longest matching prefix, or {@link Delay#NONE}. */
    Delay delayFor(String path) {
        String best = null;
        for (String prefix : delays.keySet()) {
            if (path.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? Delay.NONE : delays.get(best);
    }

    void clear() {
        canned.clear();
        delays.clear();
    }
}
