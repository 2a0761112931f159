package org.flamenco.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.testing.RecordingCredentialsGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MayIRunPollerTest {
    private static final String TASK = "5c8f0a9b1d2e3f4a5b6c7d8e";

    private final ScriptedManagerApi manager = new ScriptedManagerApi();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger pollerLog = (Logger) LoggerFactory.getLogger(MayIRunPoller.class);
    private MayIRunPoller poller;

    @BeforeEach
    void setUp() {
        logs.start();
        pollerLog.addAppender(logs);
        poller = new MayIRunPoller(manager, new RecordingCredentialsGuard(true), new SystemClock(),
                Duration.ofMillis(20));
        poller.start();
    }

    @AfterEach
    void tearDown() {
        poller.close();
        pollerLog.detachAppender(logs);
    }

    private List<String> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void failedCheckOfTheWatchedTask_warnsThatTheTaskKeepsRunning() {
        manager.mayIRun.add(ScriptedManagerApi.Answer.network());

        poller.watch(TASK, (task, answer) -> { });

        await().atMost(Duration.ofSeconds(10)).until(() -> !warnings().isEmpty());
        assertThat(warnings()).singleElement().asString().contains(TASK).endsWith("the task keeps running");
    }

    @Test
    void checkThatFailsAfterTheTaskEnded_doesNotClaimTheTaskKeepsRunning() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        manager.mayIRunHang = release;
        manager.mayIRun.add(ScriptedManagerApi.Answer.network());
        poller.watch(TASK, (task, answer) -> { });
        assertThat(manager.mayIRunEntered.await(10, TimeUnit.SECONDS)).isTrue();

        poller.unwatch(); // the task ends while the check is in flight
        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> logs.list.stream()
                .anyMatch(e -> e.getFormattedMessage().contains("no longer running")));
        assertThat(warnings()).isEmpty();
    }
}
