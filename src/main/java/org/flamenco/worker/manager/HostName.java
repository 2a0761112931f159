package org.flamenco.worker.manager;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default nickname: the host name as the OS reports it, without any DNS lookup (protocol-v2.md §4.1). Tried in
 * order: the {@code HOSTNAME} environment variable, {@code /etc/hostname}, {@code uname -n}, {@code COMPUTERNAME}
 * (Windows); {@code localhost} when all fail. Secrets, platform: see {@link SecretGenerator}, {@link Platform}.
 */
public final class HostName {
    private static final Logger LOG = LoggerFactory.getLogger(HostName.class);
    private static final Path ETC_HOSTNAME = Path.of("/etc/hostname");
    private static final long UNAME_TIMEOUT_SECONDS = 2;

    private HostName() {
    }

    /** The OS host name, for {@code worker_nickname} when none is configured. */
    public static String defaultNickname() {
        return hostName(System.getenv(), ETC_HOSTNAME, HostName::unameN);
    }

    static String hostName(Map<String, String> env, Path etcHostname, Supplier<Optional<String>> uname) {
        return nonBlank(env.get("HOSTNAME"))
                .or(() -> readFirstLine(etcHostname))
                .or(uname)
                .or(() -> nonBlank(env.get("COMPUTERNAME")))
                .orElse("localhost");
    }

    private static Optional<String> readFirstLine(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> unameN() {
        try {
            Process p = new ProcessBuilder("uname", "-n").redirectErrorStream(true).start();
            try (InputStream out = p.getInputStream()) {
                if (!p.waitFor(UNAME_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return Optional.empty();
                }
                return p.exitValue() == 0 ? nonBlank(new String(out.readAllBytes(), StandardCharsets.UTF_8))
                        : Optional.empty();
            }
        } catch (IOException e) {
            LOG.debug("uname -n failed: {}", e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }
}
