package org.flamenco.worker.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;


import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.config.ConfigLoader;
import org.flamenco.worker.config.WorkerConfig;
import org.flamenco.worker.manager.SsdpDiscovery;
import org.flamenco.worker.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Manager and credentials checks against real loopback servers: plain HTTP, TLS, and silent SSDP. */
@Timeout(60)
class ManagerCheckTest {
    private static final MockResponse UNAUTHORIZED = new MockResponse.Builder().code(401)
            .addHeader("WWW-Authenticate", "Basic realm=\"Flamenco Manager\"").body("401 Unauthorized\n").build();

    @TempDir
    Path dir;
    private final MockWebServer server = new MockWebServer();
    private final SystemClock clock = new SystemClock();

    @AfterEach
    void stop() {
        server.close();
    }

    private WorkerConfig config(String... lines) throws Exception {
        Path file = dir.resolve("flamenco-worker.cfg");
        Files.writeString(file, "[flamenco-worker]\ncredentials_file = " + dir.resolve("cred.cfg") + "\n"
                + String.join("\n", lines) + "\n");
        return new ConfigLoader(dir, dir).load(Optional.of(file)).config();
    }

    /** An SSDP discovery that asks a loopback port where nothing answers. */
    private SsdpDiscovery silentDiscovery() throws Exception {
        return new SsdpDiscovery(clock, List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)), 1,
                Duration.ofMillis(200));
    }

    @Test
    void v2ManagerAsksForCredentials_ok() throws Exception {
        server.enqueue(UNAUTHORIZED);
        server.start();

        ManagerCheck.Outcome o = new ManagerCheck(config("manager_url = " + server.url("/")).manager(), clock,
                silentDiscovery()).run();

        assertThat(o.result().status()).isEqualTo(CheckStatus.OK);
        assertThat(o.reachableUrl()).contains(server.url("/").toString());
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getTarget()).isEqualTo("/status-change");
        assertThat(request.getHeaders().get("Authorization")).isNull();
    }

    @Test
    void somethingElseAnswering404_failsAsNotAV2Manager() throws Exception {
        server.enqueue(new MockResponse.Builder().code(404).body("404 page not found\n").build());
        server.start();

        ManagerCheck.Outcome o = new ManagerCheck(config("manager_url = " + server.url("/")).manager(), clock,
                silentDiscovery()).run();

        assertThat(o.result().status()).isEqualTo(CheckStatus.FAIL);
        assertThat(o.result().detail()).contains("HTTP 404");
        assertThat(o.result().hint()).contains("not a Flamenco v2 Manager");
        assertThat(o.reachableUrl()).isEmpty();
    }

    @Test
    void emptyManagerUrlAndNoAnswerToDiscovery_failsWithSetManagerUrl() throws Exception {
        ManagerCheck.Outcome o = new ManagerCheck(config("manager_url =").manager(), clock, silentDiscovery()).run();

        assertThat(o.result().status()).isEqualTo(CheckStatus.FAIL);
        assertThat(o.result().detail()).contains("no Manager answered SSDP discovery");
        assertThat(o.result().hint()).contains("set manager_url = http://<manager host>:8083/");
    }

    @Test
    void managerFoundByDiscovery_warnsToSetManagerUrl() throws Exception {
        server.enqueue(UNAUTHORIZED);
        server.start();
        try (DatagramSocket responder = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> answerOneSearch(responder, server.url("/").toString()),
                    "test-ssdp-responder");
            answering.start();
            SsdpDiscovery discovery = new SsdpDiscovery(clock, List.of(new InetSocketAddress(
                    InetAddress.getLoopbackAddress(), responder.getLocalPort())), 1, Duration.ofSeconds(5));

            ManagerCheck.Outcome o = new ManagerCheck(config("manager_url =").manager(), clock, discovery).run();

            answering.join(5000);
            assertThat(o.result().status()).isEqualTo(CheckStatus.WARN);
            assertThat(o.result().detail()).contains(server.url("/").toString(), "found by SSDP discovery",
                    "speaks Flamenco v2");
            assertThat(o.result().hint()).contains("set manager_url = " + server.url("/"));
            assertThat(o.reachableUrl()).isPresent();
        }
    }

    private static void answerOneSearch(DatagramSocket socket, String location) {
        try {
            DatagramPacket search = new DatagramPacket(new byte[2048], 2048);
            socket.receive(search);
            byte[] answer = ("HTTP/1.1 200 OK\r\nST: urn:flamenco:manager:0\r\nLOCATION: " + location
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(answer, answer.length, search.getSocketAddress()));
        } catch (IOException e) {
            // the socket was closed: the test has already failed or finished
        }
    }

    @Test
    void untrustedCertificate_failsNamingTlsAndHintingManagerCaFile() throws Exception {
        Path store = TestCertificates.keyPair(dir, "localhost", "san=dns:localhost,ip:127.0.0.1");
        TestCertificates.serveHttps(server, store);

        ManagerCheck.Outcome o = new ManagerCheck(config("manager_url = https://localhost:" + server.getPort()
                + "/").manager(), clock, silentDiscovery()).run();

        assertThat(o.result().status()).isEqualTo(CheckStatus.FAIL);
        assertThat(o.result().detail()).contains("TLS failure");
        assertThat(o.result().hint()).contains("manager_ca_file");
    }

    @Test
    void certificateTrustedThroughManagerCaFile_ok() throws Exception {
        Path store = TestCertificates.keyPair(dir, "localhost", "san=dns:localhost,ip:127.0.0.1");
        Path pem = TestCertificates.exportPem(store, "localhost");
        TestCertificates.serveHttps(server, store);
        server.enqueue(UNAUTHORIZED);

        ManagerCheck.Outcome o = new ManagerCheck(config("manager_url = https://localhost:" + server.getPort()
                + "/", "manager_ca_file = " + pem).manager(), clock, silentDiscovery()).run();

        assertThat(o.result().status()).as(o.result().detail()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void credentialsCheckSendsBasicAuthToStatusChangeOnly() throws Exception {
        server.enqueue(new MockResponse.Builder().code(204).build());
        server.start();
        WorkerConfig config = config("manager_url = " + server.url("/"), "worker_id = 0123456789abcdef01234567",
                "worker_secret = sesame-open");

        CheckResult r = new CredentialsCheck(config, Optional.of(server.url("/").toString()), clock).run();

        assertThat(r.status()).isEqualTo(CheckStatus.OK);
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getTarget()).isEqualTo("/status-change");
        assertThat(request.getHeaders().get("Authorization")).startsWith("Basic ");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
