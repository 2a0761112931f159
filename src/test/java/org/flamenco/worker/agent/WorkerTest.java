package org.flamenco.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.manager.FetchResult;
import org.flamenco.worker.manager.MayKeepRunning;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.WorkerStatus;
import org.flamenco.worker.outbox.QueueState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WorkerTest {
    private static final String TASK_ID = "5c8f0a9b1d2e3f4a5b6c7d8e";
    private static final WorkerTiming FAST = new WorkerTiming(Duration.ofMillis(50), Duration.ofMillis(50),
            Duration.ofMillis(50), Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMillis(300),
            Duration.ofMillis(50), Duration.ofMillis(30), Duration.ofMinutes(10), Duration.ofMillis(100),
            Duration.ofMillis(100), new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)));

    private final ScriptedManagerApi manager = new ScriptedManagerApi();
    private final ControllableOutbox outbox = new ControllableOutbox();
    private final HoldCommand hold = new HoldCommand();
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path workDir;
    private final List<ShutdownCause> shutdowns = new CopyOnWriteArrayList<>();
    private final WorkerIdentity identity = new WorkerIdentity(List.of("sleep"), "node-01", "linux", Secret.empty(),
            new Credentials("0123456789abcdef01234567", Secret.of("s3cr3t")));
    private Worker worker;

    private int quarantineAfter;

    private PreTaskCheck preTaskCheck = new PreTaskCheck(List.of(), List.of(), Duration.ofSeconds(1));

    private Worker start(boolean single) {
        Enrollment enrollment = new Enrollment(manager, identity, c -> { }, new SystemClock(), () -> 0.5,
                Duration.ofMinutes(10), () -> shutdowns.add(ShutdownCause.REGISTRATION_REFUSED), WorkerMetrics.NONE);
        worker = new Worker(manager, outbox, hold.runner(outbox, workDir), preTaskCheck,
                identity, enrollment, new SystemClock(), () -> 0.5, FAST, new WorkerMode(single, false, quarantineAfter),
                shutdowns::add, WorkerMetrics.NONE);
        worker.start();
        return worker;
    }

    @AfterEach
    void stopWorker() throws InterruptedException {
        if (worker != null) {
            worker.beginShutdown(true);
            assertThat(worker.awaitStopped(Duration.ofSeconds(5))).isTrue();
            worker.close();
        }
    }

    private static Task task() {
        return HoldCommand.task(TASK_ID);
    }

    @Test
    void neverFetchesWhileAnEarlierFinalStatusIsUndelivered() {
        outbox.state = new QueueState(3, 1, true, Duration.ofSeconds(5));
        start(false);

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> manager.count("task") == 0);
        outbox.state = new QueueState(0, 0, false, Duration.ZERO);

        await().atMost(Duration.ofSeconds(2)).until(() -> manager.count("task") >= 1);
    }

    @Test
    void leftoverRowsAreDeliveredBeforeTheFirstFetch() {
        outbox.state = new QueueState(2, 0, false, Duration.ofSeconds(1));
        start(false);

        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(() -> manager.count("task") == 0);
        outbox.state = new QueueState(0, 0, false, Duration.ZERO);

        await().atMost(Duration.ofSeconds(2)).until(() -> manager.count("task") >= 1);
    }

    @Test
    void on423Asleep_acksAndPollsStatusChangeInsteadOfFetching() {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.StatusChangeRequested(WorkerStatus.ASLEEP)));
        start(false);

        await().atMost(Duration.ofSeconds(2)).until(() -> manager.count("status-change") >= 2);

        assertThat(manager.calls).contains("ack asleep");
        assertThat(manager.count("task")).isEqualTo(1);
    }

    @Test
    void statusChangeAwakeWhileAsleep_acksAwakeAndFetchesAgain() {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.StatusChangeRequested(WorkerStatus.ASLEEP)));
        manager.statusChange.add(ScriptedManagerApi.Answer.of(java.util.Optional.of(WorkerStatus.AWAKE)));
        start(false);

        await().atMost(Duration.ofSeconds(2)).until(() -> manager.count("task") >= 2);

        List<String> calls = manager.callsSnapshot();
        assertThat(calls.indexOf("ack awake")).isGreaterThan(calls.indexOf("status-change"));
    }

    @Test
    void statusTheWorkerCannotEnter_goesToSleepWithAsleepAck() {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.StatusChangeRequested(WorkerStatus.TESTING)));
        start(false);

        await().atMost(Duration.ofSeconds(2)).until(() -> manager.calls.contains("ack asleep"));
    }

    @Test
    void requestedShutdown_asksForCleanShutdownWithoutAck() {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.StatusChangeRequested(WorkerStatus.SHUTDOWN)));
        start(false);

        await().atMost(Duration.ofSeconds(2)).until(() -> shutdowns.contains(ShutdownCause.MANAGER_REQUESTED));

        assertThat(manager.calls).noneMatch(c -> c.startsWith("ack"));
    }

    @Test
    void mayIRunNo_stopsTaskReturnsItThenAppliesRequestedStatus() {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.Assigned(task())));
        manager.mayIRun.add(ScriptedManagerApi.Answer.of(new MayKeepRunning(false, "cancel", true, java.util.Optional.of(WorkerStatus.ASLEEP))));
        start(false);

        await().atMost(Duration.ofSeconds(3)).until(() -> manager.calls.contains("ack asleep"));

        List<String> calls = manager.callsSnapshot();
        assertThat(hold.events).contains("stopped");
        assertThat(outbox.silentlyAborting).containsExactly(TASK_ID);
        assertThat(calls.indexOf("return " + TASK_ID)).isLessThan(calls.indexOf("ack asleep"));
        assertThat(outbox.lines).containsSubsequence(
                TASK_ID + ": Worker 0123456789abcdef01234567 (node-01) stopped running this task, no longer "
                        + "allowed to run by Manager",
                TASK_ID + ": Worker 0123456789abcdef01234567 (node-01) returned this task to the Manager queue.");
    }

    @Test
    void mayIRunGlitches_keepTheTaskRunningAndPollingAlive() {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.Assigned(task())));
        manager.mayIRun.add(ScriptedManagerApi.Answer.fail(404));
        manager.mayIRun.add(ScriptedManagerApi.Answer.fail(502));
        manager.mayIRun.add(ScriptedManagerApi.Answer.network());
        manager.mayIRun.add(ScriptedManagerApi.Answer.of(new MayKeepRunning(false, "cancelled", false, java.util.Optional.empty())));
        start(false);

        await().atMost(Duration.ofSeconds(3)).until(() -> hold.events.contains("stopped"));

        assertThat(outbox.silentlyAborting).containsExactly(TASK_ID);
        assertThat(manager.calls.stream().filter(c -> c.startsWith("may-i-run")).count()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void sigusr1DuringTask_returnsTaskAndAcksAsleep_neverCancels() {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.Assigned(task())));
        start(false);
        await().atMost(Duration.ofSeconds(2)).until(() -> hold.events.contains("start"));

        worker.sleepRequested();

        await().atMost(Duration.ofSeconds(3)).until(() -> manager.calls.contains("ack asleep"));
        assertThat(manager.calls).contains("return " + TASK_ID);
    }

    @Test
    void sigusr1AsTheTaskCompletesByItself_stillGoesToSleepWithAck() {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.Assigned(task())));
        start(false);
        await().atMost(Duration.ofSeconds(2)).until(() -> hold.events.contains("start"));

        // SIGUSR1 arrives in the instant after the runner finished the task, before the loop saw its end
        outbox.onNextEnd.set(worker::sleepRequested);
        hold.finish(HoldCommand.Ending.COMPLETED);

        await().atMost(Duration.ofSeconds(3)).until(() -> manager.calls.contains("ack asleep"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> manager.count("task") == 1);
        assertThat(hold.events).containsExactly("start", "end COMPLETED");
        assertThat(manager.calls).doesNotContain("return " + TASK_ID);
    }

    @Test
    void sigusr1AfterMayIRunNoWithoutStatus_stillGoesToSleep() {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.Assigned(task())));
        manager.mayIRun.add(ScriptedManagerApi.Answer.of(new MayKeepRunning(false, "cancel", false, java.util.Optional.empty())));
        hold.ignoresStop = true;
        start(false);
        await().atMost(Duration.ofSeconds(3)).until(() -> hold.events.contains("stopped"));

        worker.sleepRequested();
        hold.finish(HoldCommand.Ending.STOPPED);

        await().atMost(Duration.ofSeconds(3)).until(() -> manager.calls.contains("ack asleep"));
        assertThat(manager.calls).contains("return " + TASK_ID);
    }

    @Test
    void sigusr2WhileAsleep_acksAwakeAndFetches() {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.StatusChangeRequested(WorkerStatus.ASLEEP)));
        start(false);
        await().atMost(Duration.ofSeconds(2)).until(() -> manager.calls.contains("ack asleep"));

        worker.wakeRequested();

        await().atMost(Duration.ofSeconds(2)).until(() -> manager.calls.contains("ack awake")
                && manager.count("task") >= 2);
    }

    @Test
    void fetchFailures_areRetriedAndOneSuccessResumesNormalPolling() {
        manager.fetch.add(ScriptedManagerApi.Answer.fail(503));
        manager.fetch.add(ScriptedManagerApi.Answer.network());
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.Assigned(task())));
        start(false);

        await().atMost(Duration.ofSeconds(3)).until(() -> hold.events.contains("start"));
    }

    @Test
    void runtime401_reregistersOnceAndKeepsFetching() {
        manager.fetch.add(ScriptedManagerApi.Answer.fail(401));
        manager.fetch.add(ScriptedManagerApi.Answer.fail(401));
        manager.fetch.add(ScriptedManagerApi.Answer.fail(401));
        start(false);

        await().atMost(Duration.ofSeconds(3)).until(() -> manager.count("task") >= 5);

        assertThat(manager.count("register")).isEqualTo(1);
    }

    @Test
    void singleMode_requestsShutdownAfterTheFirstTask() {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.Assigned(task())));
        start(true);
        await().atMost(Duration.ofSeconds(2)).until(() -> hold.events.contains("start"));

        hold.finish(HoldCommand.Ending.FAILED);

        await().atMost(Duration.ofSeconds(2)).until(() -> shutdowns.contains(ShutdownCause.SINGLE_TASK_DONE));
    }

    @Test
    void shutdownDuringTask_stopsItAndLogsTheShutdownLine() throws InterruptedException {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.Assigned(task())));
        start(false);
        await().atMost(Duration.ofSeconds(2)).until(() -> hold.events.contains("start"));

        worker.beginShutdown(false);

        assertThat(worker.awaitStopped(Duration.ofSeconds(3))).isTrue();
        assertThat(hold.events).contains("stopped");
        assertThat(outbox.silentlyAborting).isEmpty();
        assertThat(outbox.lines).anyMatch(l -> l.contains("stopped running this task because the worker is "
                + "shutting down; the Manager will re-queue it"));
        assertThat(manager.calls).doesNotContain("return " + TASK_ID);
    }

    @Test
    void quarantine_afterNFastFailuresInARow_goesToErrorAndStopsFetching() {
        quarantineAfter = 2;
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.Assigned(task())));
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.Assigned(task())));
        hold.finish(HoldCommand.Ending.FAILED);
        hold.finish(HoldCommand.Ending.FAILED);
        start(false);

        await().atMost(Duration.ofSeconds(3)).until(() -> manager.calls.contains("ack error"));

        List<String> calls = manager.callsSnapshot();
        assertThat(calls.subList(0, calls.indexOf("ack error")).stream().filter("task"::equals)).hasSize(2);
    }

    @Test
    void unexpectedExceptionInTheFetchLoop_isLoggedAndTheLoopResumes() {
        manager.fetchBug = new IllegalStateException("planted bug");
        start(false);

        await().atMost(Duration.ofSeconds(3)).until(() -> manager.count("task") >= 2);
    }

    @Test
    void failingPreTaskCheck_acksErrorAndDoesNotFetchUntilTheErrorTimeIsOver(@org.junit.jupiter.api.io.TempDir
                                                                              java.nio.file.Path dir) {
        preTaskCheck = new PreTaskCheck(List.of(dir.resolve("missing-mount")), List.of(), Duration.ofSeconds(1));
        start(false);

        await().atMost(Duration.ofSeconds(3)).until(() -> manager.calls.contains("ack error"));
        assertThat(manager.count("task")).isZero();
        await().atMost(Duration.ofSeconds(3)).until(() -> manager.count("ack awake") >= 1);
        assertThat(manager.count("task")).isZero();
    }

    @Test
    void shutdownAbandonsAHungStatusChangeCall() throws InterruptedException {
        manager.statusChangeHang = new java.util.concurrent.CountDownLatch(1);
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.StatusChangeRequested(WorkerStatus.ASLEEP)));
        start(false);
        await().atMost(Duration.ofSeconds(2)).until(() -> manager.count("status-change") == 1);

        worker.beginShutdown(false);

        assertThat(worker.awaitStopped(Duration.ofSeconds(1))).isTrue();
    }
}
