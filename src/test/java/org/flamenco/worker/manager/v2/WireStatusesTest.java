package org.flamenco.worker.manager.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.flamenco.worker.model.WorkerStatus;
import org.junit.jupiter.api.Test;

class WireStatusesTest {
    @Test
    void eachProtocolEntersOnlyItsOwnStatusesAndSleepsOnAnyOther() {
        assertThat(WireStatuses.V2.requested("shutdown")).isEqualTo(WorkerStatus.SHUTDOWN);
        assertThat(WireStatuses.V2.requested("offline")).isEqualTo(WorkerStatus.ASLEEP);
        assertThat(WireStatuses.V3.requested("offline")).isEqualTo(WorkerStatus.OFFLINE);
        assertThat(WireStatuses.V3.requested("restart")).isEqualTo(WorkerStatus.RESTART);
        assertThat(WireStatuses.V3.requested("shutdown")).isEqualTo(WorkerStatus.ASLEEP);
        assertThat(WireStatuses.V2.requested("dancing")).isEqualTo(WorkerStatus.ASLEEP);
        assertThat(WireStatuses.V3.requested("awake")).isEqualTo(WorkerStatus.AWAKE);
    }

    @Test
    void aStatusTheProtocolLacksHasNoWireName() {
        assertThat(WireStatuses.V2.wire(WorkerStatus.ASLEEP)).isEqualTo("asleep");
        assertThatThrownBy(() -> WireStatuses.V2.wire(WorkerStatus.OFFLINE))
                .hasMessage("status offline does not exist in Flamenco v2");
        assertThatThrownBy(() -> WireStatuses.V3.wire(WorkerStatus.SHUTDOWN))
                .hasMessage("status shutdown does not exist in Flamenco 3");
    }
}
