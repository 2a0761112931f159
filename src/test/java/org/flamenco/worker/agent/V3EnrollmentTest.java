package org.flamenco.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerOutcome;
import org.flamenco.worker.manager.ManagerProtocol;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.WorkerStatus;
import org.flamenco.worker.testing.FakeClock;

/** Registration and sign-on against a Flamenco 3 Manager (protocol-v3.md §4). */
@Timeout(10)
class V3EnrollmentTest {
    private static final String UUID = "2f0e3c7a-8d1b-4e5f-9a6b-7c8d9e0f1a2b";
    private static final Credentials STORED = new Credentials(UUID, Secret.of("s".repeat(64)));

    private final ScriptedManagerApi manager = new ScriptedManagerApi();
    private final List<Credentials> persisted = new CopyOnWriteArrayList<>();
    private final FakeClock clock = new FakeClock();
    private boolean refused;

    private Enrollment enrollment(Credentials initial) {
        WorkerIdentity identity = new WorkerIdentity(List.of("blender"), "node", "linux", Secret.empty(), initial);
        return new Enrollment(manager, identity, persisted::add, clock, () -> 0.5, Duration.ofMinutes(10),
                () -> refused = true, org.flamenco.worker.metrics.WorkerMetrics.NONE, ManagerProtocol.V3);
    }

    private static ScriptedManagerApi.Answer forbidden() {
        return new ScriptedManagerApi.Answer(null, ManagerException.http("POST /api/v3/worker/sign-on", 403,
                ManagerOutcome.AUTH_FAILED, "{\"message\":\"security requirements failed\"}"));
    }

    @Test
    void withoutCredentials_registersPersistsThenSignsOnAndReturnsTheRequestedState() throws Exception {
        manager.register.add(ScriptedManagerApi.Answer.of(UUID));
        manager.signOn.add(ScriptedManagerApi.Answer.of(WorkerStatus.ASLEEP));

        Optional<WorkerStatus> requested = enrollment(new Credentials("", Secret.empty())).enroll();

        assertThat(manager.calls).containsExactly("register", "sign-on");
        assertThat(requested).contains(WorkerStatus.ASLEEP);
        assertThat(persisted).singleElement().satisfies(c -> assertThat(c.workerId()).isEqualTo(UUID));
        assertThat(manager.credentials).isEqualTo(persisted.get(0));
    }

    @Test
    void signOn403_registersAgainAndSignsOnWithTheNewIdentity() throws Exception {
        manager.signOn.add(forbidden());
        manager.register.add(ScriptedManagerApi.Answer.of(UUID));
        manager.signOn.add(ScriptedManagerApi.Answer.of(WorkerStatus.AWAKE));

        Optional<WorkerStatus> requested = enrollment(STORED).enroll();

        assertThat(manager.calls).containsExactly("sign-on", "register", "sign-on");
        assertThat(requested).contains(WorkerStatus.AWAKE);
        assertThat(persisted).hasSize(1);
    }

    @Test
    void signOn403AfterAFreshRegistration_endsWithoutALoop() {
        manager.signOn.add(forbidden());
        manager.signOn.add(forbidden());

        assertThatThrownBy(() -> enrollment(STORED).enroll()).isInstanceOf(RegistrationRefusedException.class)
                .hasMessageContaining("403");
        assertThat(manager.calls).containsExactly("sign-on", "register", "sign-on");
    }

    @Test
    void runtime403_triesOneSignOnFirstAndKeepsTheIdentityWhenItIsAccepted() throws Exception {
        Enrollment enrollment = enrollment(STORED);
        manager.signOn.add(ScriptedManagerApi.Answer.of(WorkerStatus.AWAKE));

        boolean retry = enrollment.onUnauthorized(Duration.ofSeconds(5));

        assertThat(retry).isTrue();
        assertThat(manager.calls).containsExactly("sign-on");
        assertThat(persisted).isEmpty();
    }

    @Test
    void runtime403_registersAgainWhenTheSignOnIsRefusedToo() throws Exception {
        Enrollment enrollment = enrollment(STORED);
        manager.signOn.add(forbidden());
        manager.register.add(ScriptedManagerApi.Answer.of(UUID));

        boolean retry = enrollment.onUnauthorized(Duration.ofSeconds(5));

        assertThat(retry).isTrue();
        assertThat(manager.calls).containsExactly("sign-on", "register", "sign-on");
        assertThat(persisted).hasSize(1);
    }

    @Test
    void runtime403_againWithinTheWindowIsTransientAndCallsNothing() throws Exception {
        Enrollment enrollment = enrollment(STORED);
        enrollment.onUnauthorized(Duration.ofSeconds(5));
        manager.calls.clear();
        clock.advance(Duration.ofMinutes(9));

        boolean retry = enrollment.onUnauthorized(Duration.ofSeconds(5));

        assertThat(retry).isFalse();
        assertThat(manager.calls).isEmpty();
        assertThat(refused).isFalse();
    }

    @Test
    void runtime403_signOnUnansweredIsTransientWithoutRegistering() throws Exception {
        Enrollment enrollment = enrollment(STORED);
        manager.signOn.add(ScriptedManagerApi.Answer.network());

        boolean retry = enrollment.onUnauthorized(Duration.ofSeconds(5));

        assertThat(retry).isFalse();
        assertThat(manager.calls).containsExactly("sign-on");
    }
}
