package org.flamenco.worker.config;

import java.util.Collection;
import java.util.Optional;

/** The known key nearest to a misspelt one ({@code manger_url} → {@code manager_url}), by edit distance. */
final class KeySuggestion {
    private static final int MAX_DISTANCE = 3;

    private KeySuggestion() {
    }

    /** The nearest of {@code known} within a few edits (and under half the key's length); empty when none is. */
    static Optional<String> nearest(String key, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        boolean close = bestDistance <= MAX_DISTANCE && bestDistance * 2 < key.length();
        return close ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance (insert, delete, replace one character). */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
