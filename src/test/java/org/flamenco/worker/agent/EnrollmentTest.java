package org.flamenco.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EnrollmentTest {
    private final ScriptedManagerApi manager = new ScriptedManagerApi();
    private final List<Credentials> persisted = new CopyOnWriteArrayList<>();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final AtomicLong nanos = new AtomicLong();
    private final Clock clock = new Clock() {
        @Override
        public Instant now() {
            return Instant.EPOCH.plusNanos(nanos.get());
        }

        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public void sleep(Duration d) {
            sleeps.add(d);
            nanos.addAndGet(d.toNanos());
        }

        @Override
        public org.flamenco.worker.clock.Wakeup newWakeup() {
            return new org.flamenco.worker.clock.MonitorWakeup(this);
        }
    };
    private static final Duration WAIT = Duration.ofSeconds(5);
    private volatile boolean refused;

    private Enrollment enrollment(Credentials initial) {
        WorkerIdentity identity = new WorkerIdentity(List.of("sleep"), "node", "linux", Secret.empty(), initial);
        return new Enrollment(manager, identity, persisted::add, clock, () -> 0.5, Duration.ofMinutes(10),
                () -> refused = true, WorkerMetrics.NONE);
    }

    @Test
    void withoutCredentials_registersOnceAndPersistsWithoutSigningOn() throws Exception {
        enrollment(new Credentials("", Secret.empty())).enroll();

        assertThat(manager.calls).containsExactly("register");
        assertThat(persisted).singleElement().satisfies(c -> {
            assertThat(c.workerId()).isEqualTo("0123456789abcdef01234567");
            assertThat(c.secret().reveal()).matches("[A-Za-z0-9]{64}");
        });
        assertThat(manager.credentials).isEqualTo(persisted.get(0));
    }

    @Test
    void withCredentials_signsOn() throws Exception {
        enrollment(new Credentials("aaaaaaaaaaaaaaaaaaaaaaaa", Secret.of("x"))).enroll();

        assertThat(manager.calls).containsExactly("sign-on");
        assertThat(persisted).isEmpty();
    }

    @Test
    void signOn401_registersOnceThenSignsOnAgain() throws Exception {
        manager.signOn.add(ScriptedManagerApi.Answer.fail(401));

        enrollment(new Credentials("aaaaaaaaaaaaaaaaaaaaaaaa", Secret.of("x"))).enroll();

        assertThat(manager.calls).containsExactly("sign-on", "register", "sign-on");
        assertThat(persisted).hasSize(1);
    }

    @Test
    void secondSignOn401_isRefused() {
        manager.signOn.add(ScriptedManagerApi.Answer.fail(401));
        manager.signOn.add(ScriptedManagerApi.Answer.fail(401));

        assertThatThrownBy(() -> enrollment(new Credentials("aaaaaaaaaaaaaaaaaaaaaaaa", Secret.of("x"))).enroll())
                .isInstanceOf(RegistrationRefusedException.class);
    }

    @Test
    void registration403_isRefusedNamingTheRegistrationSecret() {
        manager.register.add(ScriptedManagerApi.Answer.fail(403));

        assertThatThrownBy(() -> enrollment(new Credentials("", Secret.empty())).enroll())
                .isInstanceOf(RegistrationRefusedException.class)
                .hasMessageContaining("worker_registration_secret");
    }

    @Test
    void unreachableManager_isRetriedWithGrowingDelays() throws Exception {
        for (int i = 0; i < 6; i++) {
            manager.register.add(ScriptedManagerApi.Answer.network());
        }

        enrollment(new Credentials("", Secret.empty())).enroll();

        assertThat(sleeps).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(40), Duration.ofSeconds(60), Duration.ofSeconds(60));
        assertThat(persisted).hasSize(1);
    }

    @Test
    void runtime401_reregistersAtMostOncePerWindow() throws Exception {
        Enrollment e = enrollment(new Credentials("aaaaaaaaaaaaaaaaaaaaaaaa", Secret.of("x")));

        assertThat(e.onUnauthorized(WAIT)).isTrue();
        assertThat(e.onUnauthorized(WAIT)).isFalse();
        nanos.addAndGet(Duration.ofMinutes(11).toNanos());
        assertThat(e.onUnauthorized(WAIT)).isTrue();

        assertThat(manager.count("register")).isEqualTo(2);
        assertThat(persisted).hasSize(2);
    }

    @Test
    void refusedRuntimeReregistration_triggersShutdown() throws Exception {
        manager.register.add(ScriptedManagerApi.Answer.fail(403));
        Enrollment e = enrollment(new Credentials("aaaaaaaaaaaaaaaaaaaaaaaa", Secret.of("x")));

        assertThat(e.onUnauthorized(WAIT)).isFalse();

        assertThat(refused).isTrue();
    }

    @Test
    void concurrentAuthFailuresShareOneReregistrationAndEachWaitsOnlyAsLongAsItChose() throws Exception {
        manager.registerHang = new CountDownLatch(1);
        Enrollment e = enrollment(new Credentials("aaaaaaaaaaaaaaaaaaaaaaaa", Secret.of("x")));
        List<Thread> threads = new CopyOnWriteArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r);
            threads.add(t);
            return t;
        });
        try {
            Future<Boolean> first = callers.submit(() -> e.onUnauthorized(WAIT));
            Future<Boolean> second = callers.submit(() -> e.onUnauthorized(WAIT));
            await().atMost(Duration.ofSeconds(5)).until(() -> manager.count("register") == 1);
            // Both callers wait on the attempt before it completes (a late one would find none: the window)
            await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 2 && threads.stream()
                    .allMatch(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING));

            assertThat(e.onUnauthorized(Duration.ZERO)).isFalse(); // does not wait: still under way
            manager.registerHang.countDown();

            assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(manager.count("register")).isEqualTo(1);
            assertThat(persisted).hasSize(1);
        } finally {
            callers.shutdownNow();
            e.close();
        }
    }

    @Test
    void anInterruptedCallerStopsWaitingWhileTheReregistrationGoesOn() throws Exception {
        manager.registerHang = new CountDownLatch(1);
        Enrollment e = enrollment(new Credentials("aaaaaaaaaaaaaaaaaaaaaaaa", Secret.of("x")));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                e.onUnauthorized(Duration.ofMinutes(5));
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "caller");
        caller.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> manager.count("register") == 1);

        caller.interrupt();
        caller.join(5000);

        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        manager.registerHang.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> persisted.size() == 1);
        e.close();
    }
}
