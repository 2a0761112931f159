package org.flamenco.worker.manager;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flamenco.worker.clock.Clock;

/**
 * Finds a Flamenco Manager with UPnP/SSDP (protocol-v2.md §9): one UDP socket on an ephemeral port, multicast TTL 32,
 * up to 5 rounds; each round sends the M-SEARCH twice to every target (IPv4 239.255.255.250:1900, and IPv6
 * [FF05::C]:1900 best effort), then listens up to 5 s. Answers to an earlier round still count. Blocking; one
 * discovery per call. The caller maps an empty result to exit code 4.
 *
 * <p>A Flamenco 2 answer (its {@code LOCATION} is the Manager's URL) wins at once. A Flamenco 3 answer
 * ({@code LOCATION} {@code …/upnp/description.xml}; every Flamenco 3 Manager answers once per address it advertises,
 * some of which may not be reachable from here) is confirmed first (protocol-v3.md §9): the first base URL whose
 * {@code GET /api/v3/version} answers wins. When none confirms by the end of a round, the first is used anyway (the
 * Manager may be starting; the worker's start-up keeps retrying it).
 */
public final class SsdpDiscovery {
    /** Confirms a Flamenco 3 base URL: whether {@code GET <base>/api/v3/version} answers (blocking, bounded). */
    @FunctionalInterface
    public interface VersionCheck {
        boolean answers(URI base) throws InterruptedException;
    }

    /** Takes every Flamenco 3 answer as it is (no HTTP request). */
    public static final VersionCheck NO_CHECK = base -> true;

    public static final String SEARCH_TARGET = "urn:flamenco:manager:0";
    public static final int DEFAULT_ROUNDS = 5;
    public static final Duration DEFAULT_LISTEN = Duration.ofSeconds(5);

    static final String MESSAGE = "M-SEARCH * HTTP/1.1\r\n"
            + "ST: " + SEARCH_TARGET + "\r\n"
            + "MX: 3\r\n"
            + "MAN: \"ssdp:discover\"\r\n"
            + "HOST: 239.255.255.250:1900\r\n"
            + "\r\n";

    private static final Logger LOG = LoggerFactory.getLogger(SsdpDiscovery.class);
    private static final int TTL = 32;
    private static final int SENDS_PER_ROUND = 2;
    private static final int MAX_DATAGRAM = 8192;
    /** Receive in short slices so an interrupt is noticed quickly. */
    private static final long SLICE_MILLIS = 200;
    private static final String FLAMENCO3_DESCRIPTION = "/upnp/description.xml";

    private final Clock clock;
    private final List<InetSocketAddress> targets;
    private final int rounds;
    private final Duration listen;
    private final VersionCheck versionCheck;

    /**
     * The real thing: IPv4 and IPv6 multicast targets, 5 rounds of 5 s; Flamenco 3 answers confirmed by {@code check}.
     */
    public SsdpDiscovery(Clock clock, VersionCheck check) {
        this(clock, defaultTargets(), DEFAULT_ROUNDS, DEFAULT_LISTEN, check);
    }

    /** With explicit targets and timings (tests use a loopback responder and short timings); no version check. */
    public SsdpDiscovery(Clock clock, List<InetSocketAddress> targets, int rounds, Duration listen) {
        this(clock, targets, rounds, listen, NO_CHECK);
    }

    /** With explicit targets, timings and the check that confirms Flamenco 3 answers. */
    public SsdpDiscovery(Clock clock, List<InetSocketAddress> targets, int rounds, Duration listen,
                         VersionCheck check) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.versionCheck = Objects.requireNonNull(check, "check");
        this.targets = List.copyOf(targets);
        if (this.targets.isEmpty() || rounds < 1 || listen.isNegative() || listen.isZero()) {
            throw new IllegalArgumentException("need targets, rounds >= 1 and a positive listen time");
        }
        this.rounds = rounds;
        this.listen = listen;
    }

    /** The Manager's base URL, or empty when nothing answered (or nothing could be sent). */
    public Optional<URI> discover() throws InterruptedException {
        Flamenco3Candidates candidates = new Flamenco3Candidates();
        try (MulticastSocket socket = new MulticastSocket(0)) {
            socket.setTimeToLive(TTL);
            for (int round = 1; round <= rounds; round++) {
                if (!sendRound(socket, round)) {
                    LOG.error("Unable to find Flamenco Manager via UPnP/SSDP: sending the search failed on every "
                            + "address");
                    return Optional.empty();
                }
                Optional<URI> found = listen(socket, candidates);
                if (found.isPresent()) {
                    LOG.info("Found Flamenco Manager at {}", found.get());
                    return found;
                }
            }
        } catch (IOException e) {
            LOG.error("Unable to find Flamenco Manager via UPnP/SSDP: {}", e.toString());
            return Optional.empty();
        }
        LOG.error("Unable to find Flamenco Manager via UPnP/SSDP");
        return Optional.empty();
    }

    private boolean sendRound(MulticastSocket socket, int round) {
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        boolean anySent = false;
        for (InetSocketAddress target : targets) {
            try {
                for (int i = 0; i < SENDS_PER_ROUND; i++) {
                    socket.send(new DatagramPacket(bytes, bytes.length, target));
                }
                anySent = true;
            } catch (IOException e) {
                // IPv6 (or a missing route) failing is normal; only all targets failing ends discovery.
                LOG.debug("SSDP round {}: cannot send to {}: {}", round, target, e.toString());
            }
        }
        LOG.debug("SSDP round {} of {} sent; listening up to {}", round, rounds, listen);
        return anySent;
    }

    private Optional<URI> listen(MulticastSocket socket, Flamenco3Candidates candidates)
            throws IOException, InterruptedException {
        long deadline = clock.nanoTime() + listen.toNanos();
        byte[] buffer = new byte[MAX_DATAGRAM];
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("SSDP discovery interrupted");
            }
            long remainingMillis = Duration.ofNanos(deadline - clock.nanoTime()).toMillis();
            if (remainingMillis <= 0) {
                return candidates.firstUnconfirmed();
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(SLICE_MILLIS, remainingMillis)));
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            }
            String text = new String(packet.getData(), packet.getOffset(), packet.getLength(),
                    StandardCharsets.UTF_8);
            Optional<URI> location = parseAnswer(text);
            if (location.isEmpty()) {
                LOG.debug("Ignoring SSDP datagram from {}", packet.getSocketAddress());
            } else if (!isFlamenco3(text) || candidates.confirm(location.get())) {
                return location;
            }
        }
    }

    /** Whether an accepted answer comes from a Flamenco 3 Manager (its location is the UPnP description). */
    private static boolean isFlamenco3(String datagram) {
        for (String line : datagram.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("location")) {
                try {
                    return FLAMENCO3_DESCRIPTION.equals(new URI(line.substring(colon + 1).strip()).getPath());
                } catch (URISyntaxException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** The Flamenco 3 base URLs answered so far: each is checked once; the first that did not confirm is kept. */
    private final class Flamenco3Candidates {
        private final List<URI> checked = new ArrayList<>();

        /** Checks {@code base} unless it was checked before; true when it answered {@code GET /api/v3/version}. */
        boolean confirm(URI base) throws InterruptedException {
            if (checked.contains(base)) {
                return false;
            }
            checked.add(base);
            if (versionCheck.answers(base)) {
                return true;
            }
            LOG.info("Flamenco 3 Manager address {} (from SSDP) does not answer GET /api/v3/version; waiting for "
                    + "another answer", base);
            return false;
        }

        Optional<URI> firstUnconfirmed() {
            if (checked.isEmpty()) {
                return Optional.empty();
            }
            LOG.warn("No Flamenco 3 Manager address found by SSDP answered GET /api/v3/version ({}); using the first",
                    checked);
            return Optional.of(checked.get(0));
        }
    }

    /** The Manager URL an SSDP answer advertises, when it is an acceptable answer (§9). */
    static Optional<URI> parseAnswer(String datagram) {
        String[] lines = datagram.split("\r?\n");
        if (lines.length == 0 || !lines[0].strip().matches("HTTP/1\\.[01] 200(\\s.*)?")) {
            return Optional.empty();
        }
        String st = null;
        String location = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            if (name.equals("st")) {
                st = value;
            } else if (name.equals("location")) {
                location = value;
            }
        }
        if ((st != null && !st.equals(SEARCH_TARGET)) || location == null) {
            return Optional.empty();
        }
        return managerUrl(location);
    }

    private static Optional<URI> managerUrl(String location) {
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            return Optional.empty();
        }
        if (FLAMENCO3_DESCRIPTION.equals(uri.getPath())) {
            LOG.warn("The Manager at {} looks like Flamenco 3; using its base URL", location);
            try {
                return Optional.of(new URI(scheme, null, uri.getHost(), uri.getPort(), "/", null, null));
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
        }
        return Optional.of(uri);
    }

    private static List<InetSocketAddress> defaultTargets() {
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            // Literal addresses: no DNS lookup happens here.
            out.add(new InetSocketAddress(InetAddress.getByName("239.255.255.250"), 1900));
            out.add(new InetSocketAddress(InetAddress.getByName("FF05::C"), 1900));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("literal SSDP addresses did not parse", e);
        }
        return out;
    }
}
