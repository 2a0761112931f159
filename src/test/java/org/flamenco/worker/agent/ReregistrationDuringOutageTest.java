package org.flamenco.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.clock.Wakeup;
import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.manager.v2.V2ManagerApi;
import org.flamenco.worker.manager.v2.V2Settings;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.outbox.OutboxSettings;
import org.flamenco.worker.outbox.Sender;
import org.flamenco.worker.outbox.SqliteOutbox;
import org.flamenco.worker.testing.FakeClock;

/**
 * Issue 20 item 2: a 401 while the Manager cannot register anyone (an outage of its registration) starts one
 * re-registration that keeps retrying; the update sender and the may-i-run poller, which both keep getting 401s
 * meanwhile, must go on with their own rhythm instead of queueing behind it. Real HTTP over loopback.
 */
@Timeout(30)
class ReregistrationDuringOutageTest {
    private static final String TASK_ID = "0123456789abcdef01234567";
    private static final Backoff FAST = new Backoff(Duration.ofMillis(5), Duration.ofMillis(20));

    @TempDir
    Path dir;

    private final MockWebServer server = new MockWebServer();
    private final AtomicInteger registrations = new AtomicInteger();
    private final AtomicInteger updates = new AtomicInteger();
    private final AtomicInteger mayIRuns = new AtomicInteger();
    /** The registration's retry sleeps run on this clock, which never moves: the re-registration stays stuck. */
    private final FakeClock registrationClock = new FakeClock();
    private final SystemClock clock = new SystemClock();
    private V2ManagerApi api;
    private Enrollment enrollment;
    private SqliteOutbox outbox;
    private Sender sender;
    private MayIRunPoller poller;

    @AfterEach
    void closeAll() throws Exception {
        if (poller != null) {
            poller.close();
        }
        if (sender != null) {
            sender.close();
        }
        if (enrollment != null) {
            enrollment.close();
        }
        if (outbox != null) {
            outbox.close();
        }
        if (api != null) {
            api.close();
        }
        server.close();
    }

    /** The system clock, except that sleeps (the registration's retry waits) wait on a clock that never moves. */
    private Clock sleepsForever() {
        return new Clock() {
            @Override
            public Instant now() {
                return clock.now();
            }

            @Override
            public long nanoTime() {
                return clock.nanoTime();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                registrationClock.sleep(duration);
            }

            @Override
            public Wakeup newWakeup() {
                return clock.newWakeup();
            }
        };
    }

    @Test
    void aReregistrationStuckInAnOutageBlocksNeitherTheSenderNorTheMayIRunPoller() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if (path.equals("/register-worker")) {
                    registrations.incrementAndGet();
                    return new MockResponse.Builder().code(503).body("database unavailable").build();
                }
                if (path.endsWith("/update")) {
                    updates.incrementAndGet();
                } else if (path.startsWith("/may-i-run/")) {
                    mayIRuns.incrementAndGet();
                }
                return new MockResponse.Builder().code(401).body("unknown worker").build();
            }
        });
        server.start();
        api = new V2ManagerApi(V2Settings.defaults(server.url("/").toString())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)), clock);
        WorkerIdentity identity = new WorkerIdentity(List.of("sleep"), "node", "linux", Secret.empty(),
                new Credentials("5c8f0a9b1d2e3f4a5b6c7d8e", Secret.of("old-secret")));
        api.useCredentials(identity.credentials());
        enrollment = new Enrollment(api, identity, c -> { }, sleepsForever(), () -> 0.5, Duration.ofMinutes(10),
                () -> { }, WorkerMetrics.NONE);
        outbox = SqliteOutbox.open(new OutboxSettings(dir.resolve("queue.db"), Duration.ofHours(1),
                Duration.ofHours(1), 100, 0), clock);
        ExecutionId execution = new ExecutionId(TASK_ID, "e1");
        outbox.captureLog(execution, "a line the Manager keeps refusing");
        outbox.endExecution(execution);

        sender = new Sender(outbox, api, enrollment, clock, FAST, () -> 0.5, taskId -> { });
        sender.start();
        poller = new MayIRunPoller(api, enrollment, clock, Duration.ofMillis(20));
        poller.start();
        poller.watch(TASK_ID, (taskId, answer) -> { });

        // The one re-registration got a 503 and now waits for its retry (on a clock that does not move) ...
        await().atMost(Duration.ofSeconds(10)).until(() -> registrationClock.sleepers() == 1);
        int updatesThen = updates.get();
        int mayIRunsThen = mayIRuns.get();
        // ... while both other threads keep asking the Manager, each at its own pace.
        await().atMost(Duration.ofSeconds(10)).until(() -> updates.get() >= updatesThen + 3
                && mayIRuns.get() >= mayIRunsThen + 3);
        assertThat(registrations).hasValue(1);
    }
}
