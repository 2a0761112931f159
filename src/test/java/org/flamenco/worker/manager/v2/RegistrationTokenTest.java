package org.flamenco.worker.manager.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;

/** The HS256 registration token (protocol-v2.md §5). */
@Timeout(20)
class RegistrationTokenTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Verifies like the Manager: signature with the key, then returns the claims. */
    static JsonNode verify(String token, String key) throws Exception {
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(Base64.getUrlDecoder().decode(parts[2])).as("HS256 signature").isEqualTo(expected);
        assertThat(token).doesNotContain("=", "+", "/");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertThat(header.get("alg").asText()).isEqualTo("HS256");
        assertThat(header.get("typ").asText()).isEqualTo("JWT");
        return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    }

    @Test
    void mint_signsWithTheTrimmedSecretAndIntegerClaimsBackdatedByAMinute() throws Exception {
        String token = RegistrationToken.mint(Secret.of("  shared-key \n"), NOW).orElseThrow().reveal();

        JsonNode claims = verify(token, "shared-key");

        assertThat(claims.get("iat").isIntegralNumber()).isTrue();
        assertThat(claims.get("exp").isIntegralNumber()).isTrue();
        assertThat(claims.get("iat").asLong()).isEqualTo(NOW.getEpochSecond() - 60);
        assertThat(claims.get("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 900);
    }

    @Test
    void mint_blankSecret_givesNoToken() {
        assertThat(RegistrationToken.mint(Secret.of(" \t"), NOW)).isEmpty();
        assertThat(RegistrationToken.mint(Secret.empty(), NOW)).isEmpty();
    }

    @Test
    void mint_tokenPrintsMasked() {
        assertThat(RegistrationToken.mint(Secret.of("k"), NOW).orElseThrow()).hasToString("***");
    }

    @Test
    void register_sendsAFreshBearerTokenPerAttemptAndNoBasicAuth() throws Exception {
        TestClock clock = new TestClock(NOW);
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(500).build());
            server.enqueue(new MockResponse.Builder().code(200).body("{\"_id\":\"5c8f0a9b1d2e3f4a5b6c7d8e\"}").build());
            V2Settings settings = V2Settings.defaults(server.url("/").toString())
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
            try (V2ManagerApi api = new V2ManagerApi(settings, clock)) {
                api.useCredentials(new Credentials("aaaaaaaaaaaaaaaaaaaaaaaa", Secret.of("old-secret")));
                Registration reg = new Registration(Secret.of("n".repeat(64)), "linux", List.of("sleep"), "node",
                        Secret.of("reg-key"));

                try {
                    api.register(reg);
                } catch (org.flamenco.worker.manager.ManagerException expected) {
                    clock.advanceWall(Duration.ofMinutes(20));
                }
                api.register(reg);
            }

            RecordedRequest first = server.takeRequest(5, TimeUnit.SECONDS);
            RecordedRequest second = server.takeRequest(5, TimeUnit.SECONDS);
            JsonNode c1 = verify(bearer(first), "reg-key");
            JsonNode c2 = verify(bearer(second), "reg-key");
            assertThat(c2.get("iat").asLong() - c1.get("iat").asLong()).isEqualTo(20 * 60);
            assertThat(c2.get("exp").asLong()).isEqualTo(clock.now().getEpochSecond() + 900);
        }
    }

    private static String bearer(RecordedRequest r) {
        String auth = r.getHeaders().get("Authorization");
        assertThat(auth).startsWith("Bearer ");
        assertThat(r.getHeaders().values("Authorization")).hasSize(1);
        return auth.substring("Bearer ".length());
    }
}
