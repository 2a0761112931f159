package org.flamenco.worker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.flamenco.worker.model.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EmbeddedManagerRegistrationTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final long NOW_S = NOW.getEpochSecond();
    private static final String KEY = "registration-key";

    private EmbeddedManager manager;

    @AfterEach
    void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }

    private ManagerClient start(Secret registrationSecret) throws Exception {
        manager = new EmbeddedManager(registrationSecret, Clock.fixed(NOW, ZoneOffset.UTC)).start();
        return new ManagerClient(manager.url());
    }

    private HttpResponse<String> registerWithBearer(ManagerClient client, String authorization) throws Exception {
        return client.post("/register-worker", ManagerClient.registration("node-01", List.of("sleep")),
                Map.of("Authorization", authorization));
    }

    @Test
    void openRegistration_returnsNewObjectIdAndStoresWorker() throws Exception {
        ManagerClient client = start(Secret.empty());

        HttpResponse<String> r = registerWithBearer(client, "");

        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Object> body = ManagerClient.parse(r.body());
        assertThat((String) body.get("_id")).matches("[0-9a-f]{24}");
        assertThat(body).doesNotContainKey("secret");
        WorkerView w = manager.worker((String) body.get("_id")).orElseThrow();
        assertThat(w.nickname()).isEqualTo("node-01");
        assertThat(w.platform()).isEqualTo("linux");
        assertThat(w.supportedTaskTypes()).containsExactly("sleep");
        assertThat(w.secretForTests()).isEqualTo("s3cret-node-01");
        assertThat(w.software()).isEqualTo("Flamenco-Worker/test");
    }

    @Test
    void eachRegistrationCreatesAnotherWorker() throws Exception {
        ManagerClient client = start(Secret.empty());

        String first = client.register("a", List.of("sleep"));
        String second = client.register("a", List.of("sleep"));

        assertThat(first).isNotEqualTo(second);
        assertThat(manager.workers()).hasSize(2);
    }

    @Test
    void openRegistration_ignoresAnyBearerHeader() throws Exception {
        ManagerClient client = start(Secret.empty());

        HttpResponse<String> r = registerWithBearer(client, "Bearer garbage");

        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void withSecret_missingBearer_is403Missing() throws Exception {
        ManagerClient client = start(Secret.of(KEY));

        HttpResponse<String> r = registerWithBearer(client, "");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("Missing Bearer token for registration\n");
        assertThat(manager.workers()).isEmpty();
    }

    @Test
    void withSecret_validToken_registers() throws Exception {
        ManagerClient client = start(Secret.of(KEY));

        HttpResponse<String> r = registerWithBearer(client, "Bearer " + Hs256.token(KEY, NOW_S - 60, NOW_S + 900));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(manager.workers()).hasSize(1);
    }

    @Test
    void withSecret_floatClaimsAreAccepted() throws Exception {
        ManagerClient client = start(Secret.of(KEY));

        HttpResponse<String> r = registerWithBearer(client, "Bearer " + Hs256.token(KEY,
                "{\"iat\":" + (NOW_S - 60) + ".25,\"exp\":" + (NOW_S + 900) + ".5}"));

        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void withSecret_wrongKey_is403Invalid() throws Exception {
        ManagerClient client = start(Secret.of(KEY));

        HttpResponse<String> r = registerWithBearer(client, "Bearer " + Hs256.token("other", NOW_S, NOW_S + 900));

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("Invalid Bearer token for registration\n");
    }

    @Test
    void withSecret_iatInTheFuture_is403Invalid() throws Exception {
        ManagerClient client = start(Secret.of(KEY));

        HttpResponse<String> r = registerWithBearer(client, "Bearer " + Hs256.token(KEY, NOW_S + 1, NOW_S + 900));

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).startsWith("Invalid Bearer token");
    }

    @Test
    void withSecret_expiredToken_is403Invalid() throws Exception {
        ManagerClient client = start(Secret.of(KEY));

        HttpResponse<String> r = registerWithBearer(client, "Bearer " + Hs256.token(KEY, NOW_S - 1000, NOW_S - 1));

        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void withSecret_tamperedClaims_is403Invalid() throws Exception {
        ManagerClient client = start(Secret.of(KEY));
        String[] parts = Hs256.token(KEY, NOW_S, NOW_S + 900).split("\\.");
        String forged = Hs256.token("other", NOW_S, NOW_S + 99999).split("\\.")[1];

        HttpResponse<String> r = registerWithBearer(client, "Bearer " + parts[0] + "." + forged + "." + parts[2]);

        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void registrationBodyOfWrongType_is400() throws Exception {
        ManagerClient client = start(Secret.empty());

        HttpResponse<String> r = client.post("/register-worker",
                "{\"secret\":\"x\",\"supported_task_types\":\"sleep\"}", Map.of());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("Unable to decode JSON: ")
                .contains("WorkerRegistration.supported_task_types");
    }

    @Test
    void registrationBodyNotJson_is400() throws Exception {
        ManagerClient client = start(Secret.empty());

        HttpResponse<String> r = client.post("/register-worker", "not json", Map.of());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("Unable to decode JSON: ");
    }
}
