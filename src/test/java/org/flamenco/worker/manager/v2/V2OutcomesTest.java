package org.flamenco.worker.manager.v2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.flamenco.worker.manager.ManagerOutcome;

/** The v2 status table (protocol-v2.md §1.8, §3; worker-behaviour.md §13.5) in its one place. */
class V2OutcomesTest {
    @ParameterizedTest
    @CsvSource({"401, AUTH_FAILED", "403, FORBIDDEN", "404, GONE", "409, CONFLICT", "400, REJECTED",
            "406, REJECTED", "422, REJECTED", "302, REJECTED", "408, BUSY", "429, BUSY", "500, TRANSIENT",
            "502, TRANSIENT", "503, TRANSIENT", "504, TRANSIENT"})
    void eachStatusHasOneMeaning(int status, ManagerOutcome expected) {
        assertThat(V2Outcomes.of(status)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"401, true", "404, true", "400, true", "408, false", "429, false", "500, false", "503, false"})
    void reachableMeansBelow500AndNotBusy(int status, boolean reachable) {
        assertThat(V2Outcomes.signalsReachable(status)).isEqualTo(reachable);
    }

    @ParameterizedTest
    @CsvSource({"BUSY, true", "TRANSIENT, true", "AUTH_FAILED, false", "FORBIDDEN, false", "GONE, false",
            "CONFLICT, false", "REJECTED, false", "BAD_REPLY, false"})
    void onlyBusyAndTransientAreRetryable(ManagerOutcome outcome, boolean retryable) {
        assertThat(outcome.retryable()).isEqualTo(retryable);
    }
}
