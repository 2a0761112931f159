package org.flamenco.worker.manager.v2;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.flamenco.worker.model.Secret;

/**
 * The HS256 registration token (protocol-v2.md §5): {@code iat} = now − 60 s (back-dated for clock skew),
 * {@code exp} = now + 900 s, integer seconds, keyed with the trimmed {@code worker_registration_secret}. Minted fresh
 * for every registration attempt; the token itself is a {@link Secret}.
 */
public final class RegistrationToken {
    static final Duration BACKDATE = Duration.ofSeconds(60);
    static final Duration LIFETIME = Duration.ofSeconds(900);

    private static final String HEADER_JSON = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String HMAC = "HmacSHA256";

    private RegistrationToken() {
    }

    /** The token for {@code now}, or empty when the registration secret is blank (open registration). */
    public static Optional<Secret> mint(Secret registrationSecret, Instant now) {
        Objects.requireNonNull(registrationSecret, "registrationSecret");
        Objects.requireNonNull(now, "now");
        String key = registrationSecret.reveal().strip();
        if (key.isEmpty()) {
            return Optional.empty();
        }
        long nowSeconds = now.getEpochSecond();
        String claims = "{\"iat\":" + (nowSeconds - BACKDATE.toSeconds())
                + ",\"exp\":" + (nowSeconds + LIFETIME.toSeconds()) + "}";
        String signingInput = encode(HEADER_JSON) + "." + encode(claims);
        return Optional.of(Secret.of(signingInput + "." + B64URL.encodeToString(hmac(key, signingInput))));
    }

    private static String encode(String json) {
        return B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(String key, String input) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), HMAC));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime ships HmacSHA256; reaching this is a broken JRE, not an outcome.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
