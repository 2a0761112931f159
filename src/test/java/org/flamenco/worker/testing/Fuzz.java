package org.flamenco.worker.testing;

import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Seeded random-input testing without a library: {@code tries} inputs from a generator, each checked; the first
 * failing input is reported with the run's seed, and {@code -Dfuzz.seed=N} replays exactly that run. The seed is
 * random unless given, so every build explores new inputs.
 */
public final class Fuzz {
    /** A check that may throw anything (assertion errors included). */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T input) throws Exception;
    }

    private Fuzz() {
    }

    /** The seed of this JVM's fuzz runs: {@code -Dfuzz.seed}, else random. */
    public static long seed() {
        String given = System.getProperty("fuzz.seed", "");
        return given.isEmpty() ? ThreadLocalRandom.current().nextLong() : Long.parseLong(given);
    }

    /**
     * Checks {@code tries} inputs drawn from {@code generator}.
     *
     * @param describe how to print an input in the failure message (cut to 2,000 characters)
     */
    public static <T> void forAll(String name, int tries, Function<Random, T> generator, Function<T, String> describe,
                                  Check<T> check) {
        long seed = seed();
        Random random = new Random(seed);
        for (int i = 0; i < tries; i++) {
            T input = generator.apply(random);
            try {
                check.accept(input);
            } catch (Throwable e) {
                String text = describe.apply(input);
                if (text.length() > 2000) {
                    text = text.substring(0, 2000) + "… (" + text.length() + " characters)";
                }
                throw new AssertionError(name + " failed on try " + (i + 1) + " of " + tries + "; replay with"
                        + " -Dfuzz.seed=" + seed + "; input: " + text, e);
            }
        }
    }

    /** Random bytes, {@code 0..maxLength} of them. */
    public static byte[] bytes(Random random, int maxLength) {
        byte[] b = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(b);
        return b;
    }

    /** A string of {@code 0..maxLength} characters drawn from {@code alphabet}. */
    public static String string(Random random, String alphabet, int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** A string of {@code 0..maxLength} arbitrary UTF-16 units (lone surrogates, controls, NULs included). */
    public static String anyString(Random random, int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(4);
            sb.append(kind == 0 ? (char) random.nextInt(0x80) : kind == 1 ? (char) random.nextInt(0x800)
                    : kind == 2 ? (char) random.nextInt(0x10000) : (char) (0x20 + random.nextInt(0x5f)));
        }
        return sb.toString();
    }

    /** One of the given values. */
    @SafeVarargs
    public static <T> T oneOf(Random random, T... values) {
        return values[random.nextInt(values.length)];
    }
}
