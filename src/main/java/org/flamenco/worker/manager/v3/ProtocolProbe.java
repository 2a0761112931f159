package org.flamenco.worker.manager.v3;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerProtocol;
import org.flamenco.worker.manager.v2.V2Settings;

/**
 * {@code manager_protocol = auto} (protocol-v3.md §8): {@code GET <base>/api/v3/version} decides once per process.
 * A 200 JSON object with a {@code version} string means Flamenco 3; any other HTTP answer below 500 means v2; no
 * answer (network error, timeout) or a 5xx decides nothing, and the probe is repeated with the start-up backoff, as
 * registration is while the Manager is unreachable. Blocks the calling thread; ends early only by interruption.
 */
public final class ProtocolProbe {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolProbe.class);

    private final V2Settings settings;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Backoff backoff;

    public ProtocolProbe(V2Settings settings, Clock clock, DoubleSupplier random, Backoff backoff) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /** Asks until the Manager's answer decides; logs the outcome once at INFO. */
    public ManagerProtocol await() throws InterruptedException {
        try (V3ManagerApi api = new V3ManagerApi(settings, clock)) {
            int attempt = 0;
            while (true) {
                Optional<ManagerProtocol> found = once(api, attempt > 0);
                if (found.isPresent()) {
                    if (attempt > 0) {
                        LOG.info("Manager at {} answers again", api.baseUrl());
                    }
                    return found.get();
                }
                attempt++;
                Duration delay = backoff.delay(attempt, random);
                LOG.debug("Next protocol probe in {} ms", delay.toMillis());
                clock.sleep(delay);
            }
        }
    }

    /** One probe: the protocol, or empty when the answer decides nothing ({@code quiet}: a repeat, logged at DEBUG). */
    static Optional<ManagerProtocol> once(V3ManagerApi api, boolean quiet) {
        V3ManagerApi.ProbeAnswer answer;
        try {
            answer = api.version();
        } catch (ManagerException e) {
            undecided(quiet, e.getMessage());
            return Optional.empty();
        }
        if (answer.versionDocument()) {
            LOG.info("Manager at {} speaks Flamenco 3 (GET /api/v3/version answered); using protocol v3",
                    api.baseUrl());
            return Optional.of(ManagerProtocol.V3);
        }
        if (answer.status() < 500) {
            LOG.info("Manager at {} answered GET /api/v3/version with HTTP {}: a Flamenco 2 Manager; using protocol "
                    + "v2", api.baseUrl(), answer.status());
            return Optional.of(ManagerProtocol.V2);
        }
        undecided(quiet, "GET /api/v3/version answered HTTP " + answer.status());
        return Optional.empty();
    }

    private static void undecided(boolean quiet, String why) {
        if (quiet) {
            LOG.debug("Still cannot tell the Manager's protocol ({})", why);
        } else {
            LOG.warn("Cannot tell the Manager's protocol yet ({}); manager_protocol = auto asks again with backoff",
                    why);
        }
    }
}
