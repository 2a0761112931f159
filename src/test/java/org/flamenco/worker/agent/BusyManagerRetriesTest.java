package org.flamenco.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.WorkerStatus;
import org.flamenco.worker.testing.RecordingCredentialsGuard;

/**
 * A busy Manager (408/429) is retried like a 5xx by every caller (issue 20 item 1): acks and task returns used to
 * give up on a 429 because they tested status codes of their own.
 */
@Timeout(10)
class BusyManagerRetriesTest {
    private final ScriptedManagerApi manager = new ScriptedManagerApi();
    private final AtomicLong nanos = new AtomicLong();
    /** Sleeps return at once, moving time on. */
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
            nanos.addAndGet(d.toNanos());
        }

        @Override
        public org.flamenco.worker.clock.Wakeup newWakeup() {
            return new org.flamenco.worker.clock.MonitorWakeup(this);
        }
    };

    @Test
    void anAckAnswered429IsRetried() {
        manager.acks.add(ScriptedManagerApi.Answer.fail(429));
        manager.acks.add(ScriptedManagerApi.Answer.fail(408));
        try (Acks acks = new Acks(manager, new RecordingCredentialsGuard(false), clock, () -> 0.5)) {
            acks.ack(WorkerStatus.ASLEEP);

            await().atMost(Duration.ofSeconds(5)).until(() -> manager.count("ack asleep") == 3);
        }
    }

    @Test
    void aReturnAnswered429IsRetriedAndReported() throws Exception {
        manager.returns.add(ScriptedManagerApi.Answer.fail(429));
        ControllableOutbox outbox = new ControllableOutbox();
        WorkerIdentity identity = new WorkerIdentity(List.of("sleep"), "node", "linux", Secret.empty(),
                new Credentials("0123456789abcdef01234567", Secret.of("s")));
        TaskReturner returner = new TaskReturner(manager, outbox, new RecordingCredentialsGuard(false), identity,
                clock, () -> 0.5, WorkerTiming.standard(Duration.ofSeconds(5)));

        returner.returnTask(new ExecutionId("aaaaaaaaaaaaaaaaaaaaaaaa", "e1"), "stopped");

        assertThat(manager.count("return aaaaaaaaaaaaaaaaaaaaaaaa")).isEqualTo(2);
        assertThat(outbox.lines).anyMatch(l -> l.contains("returned this task to the Manager queue"));
    }
}
