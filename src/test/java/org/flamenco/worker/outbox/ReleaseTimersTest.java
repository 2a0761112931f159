package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.flamenco.worker.clock.SystemClock;
import org.junit.jupiter.api.Test;

/** The release timers' thread (issue 24): fires timers, and without a pending timer it does not wake at all. */
class ReleaseTimersTest {
    private final List<String> fired = new CopyOnWriteArrayList<>();
    private final AtomicReference<Thread> timerThread = new AtomicReference<>();

    @Test
    void idleThreadWaitsUntilATimerIsSetAndThenFiresIt() {
        try (ReleaseTimers timers = new ReleaseTimers(new SystemClock(), (slot, exec) -> {
            timerThread.set(Thread.currentThread());
            fired.add(slot + " " + exec);
        })) {
            timers.start();
            assertThat(timers.setIfIdle(ReleaseTimers.Slot.LOG, Duration.ofMillis(20), "e1")).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> fired.contains("LOG e1"));

            // Nothing pending: the thread parks without a timeout (WAITING), instead of sleeping in steps
            // (TIMED_WAITING), and stays parked.
            await().atMost(Duration.ofSeconds(10)).until(() -> timerThread.get().getState() == Thread.State.WAITING);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                    .until(() -> timerThread.get().getState() == Thread.State.WAITING);

            assertThat(timers.setIfIdle(ReleaseTimers.Slot.ACTIVITY, Duration.ofMillis(20), "e2")).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> fired.contains("ACTIVITY e2"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !timerThread.get().isAlive());
    }

    @Test
    void closedTimersRefuseNewTimers() {
        ReleaseTimers timers = new ReleaseTimers(new SystemClock(), (slot, exec) -> fired.add(exec));
        timers.start();
        timers.close();
        assertThat(timers.setIfIdle(ReleaseTimers.Slot.LOG, Duration.ofMillis(1), "late")).isFalse();
    }
}
