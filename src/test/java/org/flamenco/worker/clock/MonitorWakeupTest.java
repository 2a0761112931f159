package org.flamenco.worker.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The system clock's wakeup: a kept permit, a deadline, a wake from another thread. */
@Timeout(10)
class MonitorWakeupTest {
    private final SystemClock clock = new SystemClock();
    private final Wakeup wakeup = clock.newWakeup();

    @Test
    void aWakeWhileNobodyWaits_endsTheNextWaitAtOnce() throws InterruptedException {
        wakeup.wake();

        assertThat(wakeup.awaitUntil(clock.nanoTime() + Duration.ofHours(1).toNanos())).isTrue();
    }

    @Test
    void theDeadlineEndsTheWait_andThePermitIsConsumed() throws InterruptedException {
        wakeup.wake();
        wakeup.awaitUntil(clock.nanoTime());

        long start = clock.nanoTime();
        assertThat(wakeup.awaitUntil(start + Duration.ofMillis(50).toNanos())).isFalse();
        assertThat(clock.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    }

    @Test
    void aWakeFromAnotherThread_endsAWaitWithoutDeadline() throws Exception {
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                wakeup.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        wakeup.wake();

        waiting.get(5, TimeUnit.SECONDS);
    }
}
