package org.flamenco.worker.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void fetchPolicyDoublesFromFiveSecondsUpToThirty() {
        Backoff b = Backoff.FETCH;

        assertThat(b.delay(1, () -> 0.5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.delay(2, () -> 0.5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.delay(3, () -> 0.5)).isEqualTo(Duration.ofSeconds(20));
        assertThat(b.delay(4, () -> 0.5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.delay(1000, () -> 0.5)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitterStaysWithinTwentyPercent() {
        assertThat(Backoff.FETCH.delay(10, () -> 0.0)).isEqualTo(Duration.ofSeconds(24));
        assertThat(Backoff.FETCH.delay(10, () -> 0.999999)).isLessThanOrEqualTo(Duration.ofSeconds(36));
        assertThat(Backoff.REGISTRATION.delay(1, () -> 0.999999)).isLessThan(Duration.ofSeconds(6));
        assertThat(Backoff.REGISTRATION.delay(50, () -> 0.999999)).isLessThanOrEqualTo(Duration.ofSeconds(72));
    }

    @Test
    void senderAndAckPolicies() {
        assertThat(Backoff.SENDER.delay(1, () -> 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Backoff.SENDER.delay(6, () -> 0.5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Backoff.ACK.delay(2, () -> 0.5)).isEqualTo(Duration.ofSeconds(4));
        assertThat(Backoff.TASK_RETURN.delay(3, () -> 0.5)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void rejectsAttemptZero() {
        assertThatThrownBy(() -> Backoff.FETCH.delay(0, () -> 0.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
