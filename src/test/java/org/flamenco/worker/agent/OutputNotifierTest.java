package org.flamenco.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.flamenco.worker.clock.SystemClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class OutputNotifierTest {
    private final ScriptedManagerApi manager = new ScriptedManagerApi();

    private long outputs() {
        return manager.calls.stream().filter(c -> c.startsWith("output")).count();
    }

    @Test
    void reportsWithinTheIntervalAreCoalescedAndTheLatestIsAlwaysSent() {
        try (OutputNotifier notifier = new OutputNotifier(manager, new SystemClock(), Duration.ofSeconds(2))) {
            notifier.report("t1", Path.of("/r/frame-0001.png"));
            await().atMost(Duration.ofSeconds(2)).until(() -> outputs() == 1);

            // Both within the 2 s interval (with room for a stalled thread on a loaded machine): one send, the latest.
            notifier.report("t1", Path.of("/r/frame-0002.png"));
            notifier.report("t1", Path.of("/r/frame-0003.png"));

            await().atMost(Duration.ofSeconds(10)).until(() -> outputs() == 2);
            assertThat(manager.calls).filteredOn(c -> c.startsWith("output"))
                    .containsExactly("output [/r/frame-0001.png]", "output [/r/frame-0003.png]");
        }
    }

    @Test
    void a404DisablesNotificationsForTheRestOfTheProcess() {
        manager.outputs.add(ScriptedManagerApi.Answer.fail(404));
        try (OutputNotifier notifier = new OutputNotifier(manager, new SystemClock(), Duration.ofMillis(50))) {
            notifier.report("t1", Path.of("/r/a.png"));
            await().atMost(Duration.ofSeconds(2)).until(() -> outputs() == 1);

            notifier.report("t1", Path.of("/r/b.png"));

            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> outputs() == 1);
        }
    }
}
