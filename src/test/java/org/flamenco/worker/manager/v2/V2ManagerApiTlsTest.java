package org.flamenco.worker.manager.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;


import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.testing.TestCertificates;

/**
 * TLS against a self-signed certificate generated with {@code keytool} at test time (protocol-v2.md §1.4):
 * untrusted and wrong-host certificates are network errors, {@code manager_ca_file} makes a private CA trusted.
 */
@Timeout(60)
class V2ManagerApiTlsTest {
    @TempDir
    static Path dir;
    private static Path localhostStore;
    private static Path wrongHostStore;
    private static Path localhostPem;
    private static Path wrongHostPem;

    private final MockWebServer server = new MockWebServer();

    @BeforeAll
    static void generateCertificates() throws Exception {
        localhostStore = TestCertificates.keyPair(dir, "localhost", "san=dns:localhost,ip:127.0.0.1");
        wrongHostStore = TestCertificates.keyPair(dir, "wrong", "san=dns:wrong.example");
        localhostPem = TestCertificates.exportPem(localhostStore, "localhost");
        wrongHostPem = TestCertificates.exportPem(wrongHostStore, "wrong");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void untrustedCertificate_isANetworkErrorAndNotReachable() throws Exception {
        TestCertificates.serveHttps(server, localhostStore);
        AtomicInteger reachable = new AtomicInteger();

        ManagerException e;
        try (V2ManagerApi api = api(null)) {
            api.onReachable(reachable::incrementAndGet);
            e = catchThrowableOfType(ManagerException.class, api::signOff);
        }

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.NETWORK);
        assertThat(e.getCause()).isInstanceOf(javax.net.ssl.SSLException.class);
        assertThat(reachable).hasValue(0);
    }

    @Test
    void caFile_makesThePrivateCertificateTrusted() throws Exception {
        TestCertificates.serveHttps(server, localhostStore);
        server.enqueue(new MockResponse.Builder().code(204).build());

        try (V2ManagerApi api = api(localhostPem)) {
            api.signOff();
        }

        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHandshake()).isNotNull();
    }

    @Test
    void caFileWithSeveralCertificatesAndCommentText_trustsEachOfThem() throws Exception {
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, "# my CAs\n" + Files.readString(wrongHostPem) + "\nsome text\n"
                + Files.readString(localhostPem));
        TestCertificates.serveHttps(server, localhostStore);
        server.enqueue(new MockResponse.Builder().code(204).build());

        try (V2ManagerApi api = api(bundle)) {
            api.signOff();
        }

        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void certificateForAnotherHost_isANetworkErrorEvenWhenTrusted() throws Exception {
        TestCertificates.serveHttps(server, wrongHostStore);

        ManagerException e;
        try (V2ManagerApi api = api(wrongHostPem)) {
            e = catchThrowableOfType(ManagerException.class, api::signOff);
        }

        assertThat(e.kind()).isEqualTo(ManagerException.Kind.NETWORK);
        assertThat(e.getMessage()).contains("localhost");
    }

    @Test
    void caFileWithoutCertificates_isRejectedNamingTheFile() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");

        assertThatThrownBy(() -> api(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty.pem")
                .hasMessageContaining("no PEM certificate");
    }

    @Test
    void missingCaFile_isRejectedNamingTheFile() {
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> api(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.pem");
    }

    private V2ManagerApi api(Path caFile) {
        String url = "https://localhost:" + (server.getStarted() ? server.getPort() : 1) + "/";
        V2Settings settings = V2Settings.defaults(url).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withCaFile(caFile);
        V2ManagerApi api = new V2ManagerApi(settings, new TestClock(Instant.parse("2026-01-01T00:00:00Z")));
        api.useCredentials(new Credentials("5c8f0a9b1d2e3f4a5b6c7d8e", Secret.of("secret")));
        return api;
    }
}
