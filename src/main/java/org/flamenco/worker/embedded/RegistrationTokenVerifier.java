package org.flamenco.worker.embedded;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;

import org.flamenco.worker.model.Secret;

/**
 * Checks the registration bearer token like the Manager (protocol-v2.md §5): HS256 signature with the shared
 * secret, {@code iat} not in the Manager's future, {@code exp} not passed. Missing claims are accepted, as by the
 * Manager's JWT library; both claims may be integers or floats.
 */
final class RegistrationTokenVerifier {
    private final Secret secret;
    private final Clock clock;

    RegistrationTokenVerifier(Secret secret, Clock clock) {
        this.secret = Objects.requireNonNull(secret, "secret");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    boolean isValid(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return false;
        }
        try {
            JsonNode header = ManagerJson.MAPPER.readTree(base64Url(parts[0]));
            if (header == null || !"HS256".equals(header.path("alg").asText())) {
                return false;
            }
            byte[] expected = hmac((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!MessageDigest.isEqual(expected, base64Url(parts[2]))) {
                return false;
            }
            JsonNode claims = ManagerJson.MAPPER.readTree(base64Url(parts[1]));
            return claims != null && claims.isObject() && timesAreValid(claims);
        } catch (IllegalArgumentException | java.io.IOException e) {
            return false;
        }
    }

    private boolean timesAreValid(JsonNode claims) {
        double now = clock.millis() / 1000.0;
        JsonNode iat = claims.get("iat");
        if (iat != null && (!iat.isNumber() || iat.asDouble() > now)) {
            return false;
        }
        JsonNode exp = claims.get("exp");
        return exp == null || (exp.isNumber() && now <= exp.asDouble());
    }

    private byte[] hmac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] base64Url(String part) {
        return Base64.getUrlDecoder().decode(part);
    }
}
