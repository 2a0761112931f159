package org.flamenco.worker.outbox;

import java.time.Duration;
import java.util.function.Supplier;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.clock.DurationText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sender tells the wrangler about an outage (worker-behaviour.md §13.10): one warning once the Manager has
 * been unreachable for {@link Sender#UNREACHABLE_WARNING}, one line when delivery caught up after it, nothing in
 * between. Used by the sender thread only.
 */
final class OutageLog {
    private static final Logger LOG = LoggerFactory.getLogger(Sender.class); // part of the sender

    private final Clock clock;
    private final Supplier<QueueState> state;
    private long unreachableSince = -1;
    private boolean warned;
    private long recoveredAfterNanos = -1;
    private long deliveredSinceRecovery;

    OutageLog(Clock clock, Supplier<QueueState> state) {
        this.clock = clock;
        this.state = state;
    }

    /** A request failed on the network or with a 5xx ({@code why}: the failure, for the warning). */
    void unreachable(String why) {
        long now = clock.nanoTime();
        if (unreachableSince < 0) {
            unreachableSince = now;
            return;
        }
        if (!warned && now - unreachableSince >= Sender.UNREACHABLE_WARNING.toNanos()) {
            warned = true;
            QueueState s = state.get();
            LOG.warn("Manager unreachable for {}; {} updates ({} pushes) queued, the oldest is {} old ({})",
                    DurationText.compact(Duration.ofNanos(now - unreachableSince)), s.elements(),
                    s.undeliveredPushes(), DurationText.compact(s.oldestAge()), why);
        }
    }

    /** {@code elements} were delivered. */
    void delivered(int elements) {
        if (unreachableSince >= 0) {
            if (warned) {
                recoveredAfterNanos = clock.nanoTime() - unreachableSince;
                deliveredSinceRecovery = 0;
            }
            unreachableSince = -1;
            warned = false;
        }
        if (recoveredAfterNanos >= 0) {
            deliveredSinceRecovery += elements;
        }
    }

    /** Nothing is sendable any more: after a warned outage, says that the Manager is back. */
    void caughtUp() {
        if (recoveredAfterNanos >= 0) {
            LOG.info("Manager reachable again after {}; delivered {} queued updates",
                    DurationText.compact(Duration.ofNanos(recoveredAfterNanos)), deliveredSinceRecovery);
            recoveredAfterNanos = -1;
        }
    }
}
