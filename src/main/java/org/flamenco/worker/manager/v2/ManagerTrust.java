package org.flamenco.worker.manager.v2;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The trust decision for {@code https} Managers (protocol-v2.md §1.4): the JVM's default trust store plus the PEM
 * certificates of {@code manager_ca_file}. There is deliberately no way to disable verification; host-name checks
 * stay with OkHttp's verifier.
 */
public final class ManagerTrust {
    private static final Pattern PEM_CERT = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");

    private ManagerTrust() {
    }

    /**
     * The trust manager to use.
     *
     * @param caFile PEM file with one or more CA certificates, or {@code null} for the default store only
     * @throws IOException              the file cannot be read
     * @throws GeneralSecurityException the file holds no usable certificate
     */
    public static X509TrustManager create(Path caFile) throws IOException, GeneralSecurityException {
        X509TrustManager system = trustManagerFor(null);
        if (caFile == null) {
            return system;
        }
        List<X509Certificate> cas = readPemCertificates(caFile);
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("manager-ca-" + i, cas.get(i));
        }
        return new Combined(system, trustManagerFor(store));
    }

    /** Every certificate in a PEM file; text around the blocks is ignored. */
    static List<X509Certificate> readPemCertificates(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certs = new ArrayList<>();
        Matcher m = PEM_CERT.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
        }
        if (certs.isEmpty()) {
            throw new CertificateException("manager_ca_file " + file + ": no PEM certificate found"
                    + " (expected -----BEGIN CERTIFICATE----- blocks)");
        }
        return certs;
    }

    private static X509TrustManager trustManagerFor(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager in " + Arrays.toString(tmf.getTrustManagers()));
    }

    /** Trusts what either the system store or the configured CAs trust. */
    private static final class Combined implements X509TrustManager {
        private final X509TrustManager system;
        private final X509TrustManager extra;

        Combined(X509TrustManager system, X509TrustManager extra) {
            this.system = system;
            this.extra = extra;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            system.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                extra.checkServerTrusted(chain, authType);
            } catch (CertificateException notOurCa) {
                try {
                    system.checkServerTrusted(chain, authType);
                } catch (CertificateException e) {
                    e.addSuppressed(notOurCa);
                    throw e;
                }
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return Stream.concat(Arrays.stream(system.getAcceptedIssuers()), Arrays.stream(extra.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }
}
