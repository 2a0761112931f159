package org.flamenco.worker.doctor;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLException;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.config.ManagerSettings;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerOutcome;
import org.flamenco.worker.manager.ManagerProtocol;
import org.flamenco.worker.manager.SsdpDiscovery;
import org.flamenco.worker.manager.v2.V2ManagerApi;
import org.flamenco.worker.manager.v2.V2Settings;
import org.flamenco.worker.manager.v3.ProtocolProbe;
import org.flamenco.worker.model.BuildInfo;

/**
 * Check 2: the Manager is reachable and speaks Flamenco v2. Without credentials, {@code GET /status-change} must be
 * refused with 401 (protocol-v2.md §1.6): only a v2 Manager (or something guarding it) asks a worker for its
 * credentials there. An empty {@code manager_url} runs a shortened SSDP discovery first (protocol-v2.md §9).
 * Nothing here changes the worker's state on the Manager.
 */
final class ManagerCheck {
    static final String NAME = "manager";
    /** Long enough for a busy Manager, short enough that a doctor run stays quick. */
    static final Duration MAX_READ_TIMEOUT = Duration.ofSeconds(5);

    private final ManagerSettings manager;
    private final Clock clock;
    private final SsdpDiscovery discovery;

    ManagerCheck(ManagerSettings manager, Clock clock, SsdpDiscovery discovery) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.discovery = Objects.requireNonNull(discovery, "discovery");
    }

    /** The result, the base URL of a Manager that answered (for the credentials check) and its protocol. */
    record Outcome(CheckResult result, Optional<String> reachableUrl, ManagerProtocol protocol) {
        Outcome(CheckResult result, Optional<String> reachableUrl) {
            this(result, reachableUrl, ManagerProtocol.V2);
        }
    }

    Outcome run() throws InterruptedException {
        if (!manager.url().isEmpty()) {
            return probe(manager.url(), "");
        }
        Optional<URI> found = discovery.discover();
        if (found.isEmpty()) {
            return new Outcome(CheckResult.fail(NAME, "manager_url is empty and no Manager answered SSDP discovery",
                    "set manager_url = http://<manager host>:8083/ (discovery needs multicast on the LAN and "
                            + "SSDP enabled on the Manager)"), Optional.empty());
        }
        Outcome probed = probe(found.get().toString(), " (found by SSDP discovery)");
        if (probed.result().status() != CheckStatus.OK) {
            return probed;
        }
        CheckResult r = probed.result();
        return new Outcome(CheckResult.warn(NAME, r.detail(), "set manager_url = " + found.get()
                + " so the worker does not depend on discovery at every start"), probed.reachableUrl(),
                probed.protocol());
    }

    /** {@code manager_protocol}: v2 asks as v2, v3 as v3, auto as v2 first and then, if that failed, as v3. */
    private Outcome probe(String url, String how) {
        if (manager.protocol().equals("v3")) {
            return probeV3(url, how).orElseGet(() -> probeV2(url, how));
        }
        Outcome v2 = probeV2(url, how);
        if (v2.result().status() == CheckStatus.OK || manager.protocol().equals("v2")) {
            return v2;
        }
        return probeV3(url, how).orElse(v2);
    }

    private Outcome probeV2(String url, String how) {
        V2ManagerApi api;
        try {
            api = new V2ManagerApi(settings(manager, url), clock);
        } catch (IllegalArgumentException e) {
            return new Outcome(CheckResult.fail(NAME, e.getMessage(),
                    "manager_ca_file must be a readable PEM file with the CA certificate of the Manager"),
                    Optional.empty());
        }
        try (api) {
            api.statusChange();
            return new Outcome(CheckResult.fail(NAME, url + how + " answered GET /status-change without asking "
                    + "for worker credentials: not a Flamenco v2 Manager",
                    "point manager_url at the Flamenco Manager, e.g. http://manager:8083/"), Optional.empty());
        } catch (ManagerException e) {
            return classify(url, how, e);
        }
    }

    /**
     * {@code manager_protocol = v3 | auto}: {@code GET /api/v3/version} (protocol-v3.md §8). Empty when the v2 probe
     * should decide (auto, and the Manager is no Flamenco 3 Manager or did not answer).
     */
    private Optional<Outcome> probeV3(String url, String how) {
        Optional<ManagerProtocol> found;
        try {
            found = new ProtocolProbe(settings(manager, url), clock, () -> 0.5, Backoff.REGISTRATION).askOnce();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // the v2 probe reports the unusable URL or CA file
        }
        if (found.isPresent() && found.get() == ManagerProtocol.V3) {
            return Optional.of(new Outcome(CheckResult.ok(NAME, url + how + " is reachable and speaks Flamenco 3 "
                    + "(protocol v3, manager_protocol = " + manager.protocol() + ")"), Optional.of(url),
                    ManagerProtocol.V3));
        }
        if (manager.protocol().equals("v3")) {
            return Optional.of(new Outcome(CheckResult.fail(NAME, url + how + " did not answer GET /api/v3/version "
                    + "as a Flamenco 3 Manager", "check manager_url, or set manager_protocol = auto (or v2 for a "
                    + "Flamenco 2 Manager)"), Optional.empty(), ManagerProtocol.V3));
        }
        return Optional.empty();
    }

    private Outcome classify(String url, String how, ManagerException e) {
        if (e.isAuthFailure()) {
            return new Outcome(CheckResult.ok(NAME, url + how + " is reachable and speaks Flamenco v2"),
                    Optional.of(url));
        }
        if (e.kind() == ManagerException.Kind.NETWORK) {
            Trouble t = trouble(e, url);
            return new Outcome(CheckResult.fail(NAME, url + how + ": " + t.detail(), t.hint()), Optional.empty());
        }
        String hint = e.outcome() == ManagerOutcome.GONE
                ? "not a Flamenco v2 Manager (a Flamenco 3 Manager, or a wrong path?): check manager_url"
                : "check the Manager's log; a proxy in between may be answering";
        return new Outcome(CheckResult.fail(NAME, url + how + " answered HTTP " + e.status()
                + " to GET /status-change instead of asking for worker credentials (401)", hint), Optional.empty());
    }

    /** The worker's transport settings with a read timeout of at most {@link #MAX_READ_TIMEOUT}. */
    static V2Settings settings(ManagerSettings manager, String url) {
        Duration read = manager.readTimeout().compareTo(MAX_READ_TIMEOUT) < 0 ? manager.readTimeout()
                : MAX_READ_TIMEOUT;
        return new V2Settings(url, manager.connectTimeout(), read, manager.caFile().orElse(null),
                BuildInfo.userAgent());
    }

    /** What went wrong on the network, and what to do about it. */
    record Trouble(String detail, String hint) {
    }

    static Trouble trouble(ManagerException e, String url) {
        Throwable cause = e.getCause();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return new Trouble("TLS failure: " + rootMessage(t), "if the Manager's certificate comes from "
                        + "your own CA, set manager_ca_file to that CA's PEM file; the host name in manager_url "
                        + "must match the certificate");
            }
            if (t instanceof UnknownHostException) {
                return new Trouble("host name not found (" + t.getMessage() + ")",
                        "check the host name in manager_url and this node's DNS");
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return new Trouble("connection refused or no route (" + t.getMessage() + ")",
                        "is the Manager running? check the host and port of manager_url and firewalls");
            }
            if (t instanceof SocketTimeoutException) {
                return new Trouble("no answer in time (" + t.getMessage() + ")",
                        "check the network path to " + url + " (firewall dropping packets?) and the Manager's load");
            }
        }
        return new Trouble("network error: " + (cause == null ? e.getMessage() : rootMessage(cause)),
                "check manager_url and the network between this node and the Manager");
    }

    private static String rootMessage(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
