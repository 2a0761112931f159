package org.flamenco.worker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import mockwebserver3.MockWebServer;

/**
 * Self-signed certificates made with the JDK's {@code keytool} at test time, for TLS tests against a loopback
 * {@link MockWebServer}: a key pair per host name, its certificate as a PEM file (a {@code manager_ca_file}), and a
 * server that presents it.
 */
public final class TestCertificates {
    private static final String PASSWORD = "changeit";

    private TestCertificates() {
    }

    /**
     * A PKCS12 key store {@code <dir>/<name>.p12} with an EC key pair under the alias {@code name}.
     *
     * @param san the subject alternative names as keytool takes them, e.g. {@code san=dns:localhost,ip:127.0.0.1}
     */
    public static Path keyPair(Path dir, String name, String san) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString(), "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=" + name, "-ext", san, "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", cmd, out).isZero();
        return store;
    }

    /** The certificate under {@code alias} as {@code <dir>/<alias>.pem}, written in-process. */
    public static Path exportPem(Path store, String alias) throws IOException, GeneralSecurityException {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(load(store).getCertificate(alias).getEncoded());
        return Files.writeString(store.resolveSibling(alias + ".pem"),
                "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
    }

    /** Starts {@code server} on HTTPS with the key pair in {@code keyStore}. */
    public static void serveHttps(MockWebServer server, Path keyStore) throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(keyStore), PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server.useHttps(ctx.getSocketFactory());
        server.start();
    }

    private static KeyStore load(Path store) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }
}
