package org.flamenco.worker.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.flamenco.worker.manager.ManagerProtocol;
import org.junit.jupiter.api.Test;

/** Issue 24: the version probe runs on its own thread while the daemon opens the queue. */
class EarlyProtocolProbeTest {
    @Test
    void theDecisionIsMadeOnItsOwnThread_andHandedToTheDaemon() throws Exception {
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch release = new CountDownLatch(1);
        try (EarlyProtocolProbe probe = EarlyProtocolProbe.start(() -> {
            thread.set(Thread.currentThread().getName());
            release.await();
            return ManagerProtocol.V3;
        })) {
            await().atMost(Duration.ofSeconds(10)).until(() -> thread.get() != null);
            assertThat(thread.get()).isEqualTo("fw-protocol-probe");
            release.countDown();
            assertThat(probe.await()).isEqualTo(ManagerProtocol.V3);
        }
    }

    @Test
    void closeStopsAProbeStillRetrying() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        EarlyProtocolProbe probe = EarlyProtocolProbe.start(() -> {
            try {
                never.await();
                return ManagerProtocol.V2;
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        });

        probe.close();

        assertThat(interrupted.get()).isTrue();
        assertThatThrownBy(probe::await).isInstanceOf(InterruptedException.class);
    }

    @Test
    void aFailureOfTheProbe_reachesTheDaemonsThread() {
        try (EarlyProtocolProbe probe = EarlyProtocolProbe.start(() -> {
            throw new IllegalArgumentException("bad URL");
        })) {
            assertThatThrownBy(probe::await).isInstanceOf(IllegalArgumentException.class).hasMessage("bad URL");
        }
    }

    @Test
    void closeKeepsTheCallersInterruption() {
        EarlyProtocolProbe probe = EarlyProtocolProbe.start(() -> ManagerProtocol.V2);
        Thread.currentThread().interrupt();
        try {
            probe.close();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
