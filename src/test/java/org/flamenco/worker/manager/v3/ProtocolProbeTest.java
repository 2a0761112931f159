package org.flamenco.worker.manager.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.manager.ManagerProtocol;
import org.flamenco.worker.manager.v2.V2Settings;
import org.flamenco.worker.testing.FakeClock;

/** {@code manager_protocol = auto}: what each answer of {@code GET /api/v3/version} decides (protocol-v3.md §8). */
@Timeout(20)
class ProtocolProbeTest {
    private final MockWebServer server = new MockWebServer();
    private final FakeClock clock = new FakeClock();
    private ProtocolProbe probe;

    @BeforeEach
    void start() throws Exception {
        server.start();
        probe = new ProtocolProbe(V2Settings.defaults(server.url("/").toString())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)), clock, () -> 0.5,
                new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(60)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void answer(int code, String body) {
        server.enqueue(new MockResponse.Builder().code(code).body(body).build());
    }

    @Test
    void versionDocumentMeansV3() throws Exception {
        answer(200, "{\"version\":\"3.9-beta1\",\"shortversion\":\"3.9\",\"name\":\"Flamenco\",\"git\":\"abc\"}");

        assertThat(probe.await()).isEqualTo(ManagerProtocol.V3);
        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/api/v3/version");
    }

    @Test
    void ssdpConfirmation_isOneQuestionTrueOnlyForAVersionDocument() throws Exception {
        V2Settings settings = V2Settings.defaults(server.url("/").toString())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
        answer(200, "{\"version\":\"3.9-beta1\",\"shortversion\":\"3.9\",\"name\":\"Flamenco\",\"git\":\"abc\"}");
        answer(404, "404 page not found");
        answer(503, "busy");

        assertThat(ProtocolProbe.confirmsFlamenco3(settings)).isTrue();
        assertThat(ProtocolProbe.confirmsFlamenco3(settings)).isFalse();
        assertThat(ProtocolProbe.confirmsFlamenco3(settings)).isFalse();
        assertThat(ProtocolProbe.confirmsFlamenco3(V2Settings.defaults("http://127.0.0.1:1/"))).isFalse();
        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/api/v3/version");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void notFoundMeansV2() throws Exception {
        answer(404, "404 page not found");

        assertThat(probe.await()).isEqualTo(ManagerProtocol.V2);
    }

    @Test
    void anOkPageThatIsNoVersionDocumentMeansV2() throws Exception {
        answer(200, "<html>Flamenco Manager 2</html>");

        assertThat(probe.await()).isEqualTo(ManagerProtocol.V2);
    }

    @Test
    void serverErrorsDecideNothingAndAreAskedAgainWithBackoff() throws Exception {
        answer(503, "busy");
        answer(500, "oops");
        answer(200, "{\"version\":\"3.9\"}");

        CompletableFuture<ManagerProtocol> found = CompletableFuture.supplyAsync(() -> {
            try {
                return probe.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().until(() -> clock.sleepers() == 1);
        assertThat(server.getRequestCount()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(5));
        await().until(() -> server.getRequestCount() == 2 && clock.sleepers() == 1);
        clock.advance(Duration.ofSeconds(9));
        assertThat(server.getRequestCount()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));

        assertThat(found.get()).isEqualTo(ManagerProtocol.V3);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void unreachableManagerIsAskedAgainUntilInterrupted() throws Exception {
        ProtocolProbe dead = new ProtocolProbe(V2Settings.defaults("http://127.0.0.1:1/"), clock, () -> 0.5,
                Backoff.REGISTRATION);
        Thread t = new Thread(() -> {
            try {
                dead.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();

        await().until(() -> clock.sleepers() == 1);
        t.interrupt();
        t.join(5000);

        assertThat(t.isAlive()).isFalse();
    }
}
