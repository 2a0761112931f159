package org.flamenco.worker.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.config.ConfigLoader;
import org.flamenco.worker.config.CredentialsStore;
import org.flamenco.worker.config.WorkerConfig;
import org.flamenco.worker.embedded.EmbeddedV3Manager;
import org.flamenco.worker.manager.ManagerProtocol;
import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.manager.SsdpDiscovery;
import org.flamenco.worker.manager.v2.V2Settings;
import org.flamenco.worker.manager.v3.V3ManagerApi;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;

/** doctor against the embedded Flamenco 3 Manager: the protocol it finds and the v3 credentials check. */
@Timeout(60)
class V3DoctorTest {
    @TempDir
    Path dir;
    private final SystemClock clock = new SystemClock();
    private EmbeddedV3Manager manager;

    @BeforeEach
    void start() throws Exception {
        manager = new EmbeddedV3Manager().start();
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    private WorkerConfig config(String protocol) throws Exception {
        Path file = dir.resolve("flamenco-worker.cfg");
        Files.writeString(file, "[flamenco-worker]\ncredentials_file = " + dir.resolve("cred.cfg")
                + "\nmanager_url = " + manager.url() + "\nmanager_protocol = " + protocol + "\n");
        return new ConfigLoader(dir, dir).load(Optional.of(file)).config();
    }

    private SsdpDiscovery silentDiscovery() {
        return new SsdpDiscovery(clock, List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)), 1,
                Duration.ofMillis(200));
    }

    private Credentials registered() throws Exception {
        Secret secret = Secret.of("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        try (V3ManagerApi api = new V3ManagerApi(V2Settings.defaults(manager.url().toString()), false,
                image -> Optional.empty(), clock)) {
            String uuid = api.register(new Registration(secret, "linux", List.of("misc"), "node", Secret.empty()));
            return new Credentials(uuid, secret);
        }
    }

    @Test
    void autoFindsAFlamenco3ManagerAndSaysSo() throws Exception {
        ManagerCheck.Outcome o = new ManagerCheck(config("auto").manager(), clock, silentDiscovery()).run();

        assertThat(o.result().status()).isEqualTo(CheckStatus.OK);
        assertThat(o.result().detail()).contains("Flamenco 3", "protocol v3");
        assertThat(o.protocol()).isEqualTo(ManagerProtocol.V3);
    }

    @Test
    void storedV3CredentialsAreCheckedWithWorkerState() throws Exception {
        WorkerConfig config = config("v3");
        new CredentialsStore(config.credentialsFile(), CredentialsStore.V3_SECTION).write(registered());

        CheckResult r = new V3CredentialsCheck(config, Optional.of(manager.url().toString()), clock).run();

        assertThat(r.status()).isEqualTo(CheckStatus.OK);
        assertThat(manager.requests("GET", "/api/v3/worker/state")).hasSize(1);
    }

    @Test
    void unknownV3CredentialsFail() throws Exception {
        WorkerConfig config = config("v3");
        new CredentialsStore(config.credentialsFile(), CredentialsStore.V3_SECTION).write(new Credentials(
                "2f0e3c7a-8d1b-4e5f-9a6b-7c8d9e0f1a2b", Secret.of("x".repeat(64))));

        CheckResult r = new V3CredentialsCheck(config, Optional.of(manager.url().toString()), clock).run();

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains("403");
    }
}
