package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.model.TaskStatus;
import org.flamenco.worker.testing.FakeClock;
import org.flamenco.worker.testing.RecordingCredentialsGuard;
import org.flamenco.worker.testing.RecordingManagerApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** Sender timing on a fake clock: the real {@link Backoff#SENDER} policy, wake-up, outage observability. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SenderTimingTest {
    private static final String TASK = "5c8f0a9b1d2e3f4a5b6c7d8e";

    @TempDir
    Path dir;
    private final FakeClock clock = new FakeClock();
    private final RecordingManagerApi manager = new RecordingManagerApi();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger senderLog = (Logger) LoggerFactory.getLogger(Sender.class);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private SqliteOutbox outbox;
    private Sender sender;

    @BeforeEach
    void setUp() throws Exception {
        logs.start();
        senderLog.addAppender(logs);
        outbox = SqliteOutbox.open(new OutboxSettings(dir.resolve("queue.db"), Duration.ofSeconds(15),
                Duration.ofSeconds(30), 1000, 0), clock);
        toClose.add(outbox);
        // random 0.5 → jitter factor 1.0: delays are exactly 1 s, 2 s, 4 s, ... 30 s
        sender = new Sender(outbox, manager, new RecordingCredentialsGuard(true), clock, Backoff.SENDER, () -> 0.5,
                t -> { });
        toClose.add(sender);
        sender.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        senderLog.detachAppender(logs);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("fw-") && t.isAlive());
    }

    private void captureStatus() throws OutboxException {
        ExecutionId exec = outbox.beginExecution(TASK);
        outbox.captureActivity(exec, new ActivitySnapshot(TaskStatus.ACTIVE, "x", 0, 0, 0, Map.of()));
    }

    private List<String> messages(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** 403 counts as "reachable" for other requests, yet the sender's own 403 must not cut its own backoff short. */
    @ParameterizedTest
    @ValueSource(ints = {503, 429, 403})
    void retryableAnswer_isRetriedOnlyAfterTheOneSecondBackoff(int status) throws Exception {
        manager.onReachable(sender::wake); // wired as in the daemon
        manager.answer(status);
        captureStatus();
        await().until(() -> manager.calls().size() == 1 && clock.sleepers() > 0);

        clock.advance(Duration.ofMillis(900));
        await().until(() -> clock.sleepers() > 0);
        assertThat(manager.calls()).hasSize(1);

        clock.advance(Duration.ofMillis(100));

        await().until(() -> manager.delivered().size() == 1);
        assertThat(manager.calls()).extracting(RecordingManagerApi.Call::answer).containsExactly(status, 204);
    }

    @Test
    void wake_retriesAtOnceWithoutWaitingForTheBackoff() throws Exception {
        manager.answer(503);
        captureStatus();
        await().until(() -> manager.calls().size() == 1 && clock.sleepers() > 0);

        sender.wake();
        clock.advance(Duration.ofMillis(50)); // ends the current 50 ms sleep step; far below the 1 s backoff

        await().until(() -> manager.delivered().size() == 1);
    }

    @Test
    void longOutage_warnsOnceWithDepthAndAgeThenReportsRecovery() throws Exception {
        manager.setDown(true);
        captureStatus();
        await().until(() -> manager.calls().size() == 1);

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            clock.advance(Duration.ofSeconds(5));
            return !messages(Level.WARN).isEmpty();
        });
        assertThat(messages(Level.WARN)).singleElement().asString()
                .startsWith("Manager unreachable for 1m")
                .contains("1 updates (1 pushes) queued");
        manager.setDown(false);

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            clock.advance(Duration.ofSeconds(5));
            return messages(Level.INFO).stream().anyMatch(m -> m.startsWith("Manager reachable again"));
        });
        assertThat(messages(Level.INFO)).filteredOn(m -> m.startsWith("Manager reachable again"))
                .singleElement().asString().matches("Manager reachable again after 1m\\d\\ds; delivered 1 queued"
                        + " updates");
        assertThat(messages(Level.WARN)).hasSize(1);
    }
}
