package org.flamenco.worker.manager;

import java.security.SecureRandom;
import java.util.Objects;

import org.flamenco.worker.model.Secret;

/** New worker secrets (protocol-v2.md §4.1): 64 characters of {@code [A-Za-z0-9]} from a secure generator. */
public final class SecretGenerator {
    public static final int LENGTH = 64;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final SecureRandom random;

    public SecretGenerator() {
        this(new SecureRandom());
    }

    public SecretGenerator(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public Secret next() {
        char[] out = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return Secret.of(new String(out));
    }
}
