package org.flamenco.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.testing.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code flamenco_worker_reregistrations_total}: registrations after refused credentials, not the first one. */
@Timeout(10)
class EnrollmentMetricsTest {
    private final ScriptedManagerApi manager = new ScriptedManagerApi();
    private final AtomicInteger reRegistrations = new AtomicInteger();
    private final WorkerMetrics metrics = new WorkerMetrics() {
        @Override
        public void reRegistered() {
            reRegistrations.incrementAndGet();
        }
    };

    private Enrollment enrollment(Credentials initial) {
        WorkerIdentity identity = new WorkerIdentity(List.of("sleep"), "node", "linux", Secret.empty(), initial);
        return new Enrollment(manager, identity, c -> { }, new FakeClock(), () -> 0.5, Duration.ofMinutes(10),
                () -> { }, metrics);
    }

    @Test
    void aFirstRegistrationIsNotCounted() throws Exception {
        enrollment(new Credentials("", Secret.empty())).enroll();

        assertThat(reRegistrations).hasValue(0);
    }

    @Test
    void aSignOnRefusedWith401CountsOne() throws Exception {
        manager.signOn.add(ScriptedManagerApi.Answer.fail(401));

        enrollment(new Credentials("aaaaaaaaaaaaaaaaaaaaaaaa", Secret.of("x"))).enroll();

        assertThat(reRegistrations).hasValue(1);
    }

    @Test
    void aRuntime401CountsOneAndARefusedOneNone() throws Exception {
        Enrollment e = enrollment(new Credentials("aaaaaaaaaaaaaaaaaaaaaaaa", Secret.of("x")));

        e.onUnauthorized(Duration.ofSeconds(5));
        e.onUnauthorized(Duration.ofSeconds(5)); // inside the 10-minute window: no registration

        assertThat(reRegistrations).hasValue(1);
    }
}
