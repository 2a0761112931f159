package org.flamenco.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.flamenco.worker.manager.FetchResult;
import org.flamenco.worker.manager.MayKeepRunning;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.WorkerStatus;
import org.flamenco.worker.outbox.QueueState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetch loop, its states and the running task's session (worker-behaviour.md §6–§10, §17), wired as the daemon
 * wires them, on a fake clock with the production timing: time moves only between steps.
 */
@Timeout(30)
class WorkerTest {
    private static final String TASK_ID = "5c8f0a9b1d2e3f4a5b6c7d8e";
    private static final Duration A_WHILE = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    private final AgentHarness agent = new AgentHarness();
    private final ScriptedManagerApi manager = agent.manager;
    private final ControllableOutbox outbox = agent.outbox;
    private final HoldCommand hold = agent.hold;
    private Worker worker;

    @AfterEach
    void stopWorker() throws InterruptedException {
        agent.close();
    }

    private Worker start() {
        worker = agent.start(dir);
        return worker;
    }

    private static Task task() {
        return HoldCommand.task(TASK_ID);
    }

    private void assign() {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.Assigned(task())));
    }

    private void requestStatus(WorkerStatus status) {
        manager.fetch.add(ScriptedManagerApi.Answer.of(new FetchResult.StatusChangeRequested(status)));
    }

    @Test
    void neverFetchesWhileAnEarlierFinalStatusIsUndelivered() {
        start();
        agent.runUntil(() -> manager.count("task") == 1, Duration.ofSeconds(1));
        outbox.state = new QueueState(3, 1, true, Duration.ofSeconds(5));

        agent.runFor(A_WHILE);
        assertThat(manager.count("task")).isEqualTo(1);
        outbox.state = new QueueState(0, 0, false, Duration.ZERO);

        agent.runUntil(() -> manager.count("task") == 2, Duration.ofSeconds(2));
    }

    @Test
    void leftoverRowsAreDeliveredBeforeTheFirstFetch() {
        outbox.state = new QueueState(2, 0, false, Duration.ofSeconds(1));
        start();

        agent.runFor(A_WHILE);
        assertThat(manager.count("task")).isZero();
        outbox.state = new QueueState(0, 0, false, Duration.ZERO);

        agent.runUntil(() -> manager.count("task") >= 1, Duration.ofSeconds(2));
    }

    @Test
    void on423Asleep_acksAndPollsStatusChangeEvery30sInsteadOfFetching() {
        requestStatus(WorkerStatus.ASLEEP);
        start();

        agent.runUntil(() -> manager.count("status-change") >= 2, Duration.ofSeconds(61));

        assertThat(manager.calls).contains("ack asleep");
        assertThat(manager.count("task")).isEqualTo(1);
    }

    @Test
    void statusChangeAwakeWhileAsleep_acksAwakeAndFetchesAgain() {
        requestStatus(WorkerStatus.ASLEEP);
        manager.statusChange.add(ScriptedManagerApi.Answer.of(Optional.of(WorkerStatus.AWAKE)));
        start();

        agent.runUntil(() -> manager.count("task") >= 2, Duration.ofSeconds(40));

        await().until(() -> manager.calls.contains("ack awake"));
        List<String> calls = manager.callsSnapshot();
        assertThat(calls.indexOf("ack awake")).isGreaterThan(calls.indexOf("status-change"));
    }

    @Test
    void statusTheWorkerCannotEnter_goesToSleepWithAsleepAck() {
        requestStatus(WorkerStatus.TESTING);
        start();

        await().until(() -> manager.calls.contains("ack asleep"));
    }

    @Test
    void requestedShutdown_asksForCleanShutdownWithoutAck() {
        requestStatus(WorkerStatus.SHUTDOWN);
        start();

        await().until(() -> agent.shutdowns.contains(ShutdownCause.MANAGER_REQUESTED));
        agent.settle();

        assertThat(manager.calls).noneMatch(c -> c.startsWith("ack"));
    }

    @Test
    void mayIRunNo_stopsTaskReturnsItThenAppliesRequestedStatus() {
        assign();
        manager.mayIRun.add(ScriptedManagerApi.Answer.of(new MayKeepRunning(false, "cancel", true,
                Optional.of(WorkerStatus.ASLEEP))));
        start();

        agent.runUntil(() -> hold.events.contains("stopped"), Duration.ofSeconds(10));

        await().until(() -> manager.calls.contains("ack asleep"));
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
    void mayIRunAsksEveryIntervalAndGlitchesKeepTheTaskRunning() {
        assign();
        manager.mayIRun.add(ScriptedManagerApi.Answer.fail(404));
        manager.mayIRun.add(ScriptedManagerApi.Answer.fail(502));
        manager.mayIRun.add(ScriptedManagerApi.Answer.network());
        manager.mayIRun.add(ScriptedManagerApi.Answer.of(new MayKeepRunning(false, "cancelled", false,
                Optional.empty())));
        start();
        agent.runUntil(() -> hold.holding, Duration.ofSeconds(5));
        long started = agent.clock.nanoTime();

        agent.runUntil(() -> manager.calls.stream().filter(c -> c.startsWith("may-i-run")).count() == 4,
                Duration.ofSeconds(30));

        assertThat(Duration.ofNanos(agent.clock.nanoTime() - started)).isEqualTo(Duration.ofSeconds(20));
        assertThat(hold.events).doesNotContain("end FAILED");
        await().until(() -> hold.events.contains("stopped"));
        assertThat(outbox.silentlyAborting).containsExactly(TASK_ID);
    }

    @Test
    void sigusr1DuringTask_returnsTaskAndAcksAsleep_neverCancels() {
        assign();
        start();
        agent.runUntil(() -> hold.holding, Duration.ofSeconds(5));

        worker.sleepRequested();

        await().until(() -> manager.calls.contains("ack asleep"));
        assertThat(manager.calls).contains("return " + TASK_ID);
        assertThat(outbox.lines).anyMatch(l -> l.endsWith("because it was told to go to sleep (SIGUSR1)"));
    }

    @Test
    void sigusr1AsTheTaskCompletesByItself_stillGoesToSleepWithAck() {
        assign();
        start();
        agent.runUntil(() -> hold.holding, Duration.ofSeconds(5));

        // SIGUSR1 arrives in the instant after the runner finished the task, before the loop saw its end
        outbox.onNextEnd.set(worker::sleepRequested);
        hold.finish(HoldCommand.Ending.COMPLETED);

        await().until(() -> manager.calls.contains("ack asleep"));
        agent.runFor(Duration.ofSeconds(20));
        assertThat(manager.count("task")).isEqualTo(1);
        assertThat(hold.events).containsExactly("start", "end COMPLETED");
        assertThat(manager.calls).doesNotContain("return " + TASK_ID);
    }

    @Test
    void sigusr1AfterMayIRunNoWithoutStatus_stillGoesToSleep() {
        assign();
        manager.mayIRun.add(ScriptedManagerApi.Answer.of(new MayKeepRunning(false, "cancel", false,
                Optional.empty())));
        hold.ignoresStop = true;
        start();
        agent.runUntil(() -> hold.events.contains("stopped"), Duration.ofSeconds(10));

        worker.sleepRequested();
        hold.finish(HoldCommand.Ending.STOPPED);

        await().until(() -> manager.calls.contains("ack asleep"));
        assertThat(manager.calls).contains("return " + TASK_ID);
    }

    @Test
    void sigusr2WhileAsleep_acksAwakeAndFetches() {
        requestStatus(WorkerStatus.ASLEEP);
        start();
        await().until(() -> manager.calls.contains("ack asleep"));

        worker.wakeRequested();

        agent.runUntil(() -> manager.count("task") >= 2, Duration.ofSeconds(5));
        await().until(() -> manager.calls.contains("ack awake"));
    }

    @Test
    void fetchFailures_areRetriedWithBackoffAndOneSuccessResumesNormalPolling() {
        manager.fetch.add(ScriptedManagerApi.Answer.fail(503));
        manager.fetch.add(ScriptedManagerApi.Answer.network());
        assign();
        start();
        long started = agent.clock.nanoTime();

        agent.runUntil(() -> hold.holding, Duration.ofMinutes(1));

        // 5 s, then 10 s (backoff with jitter 1.0)
        assertThat(Duration.ofNanos(agent.clock.nanoTime() - started)).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void runtime401_reregistersOnceAndKeepsFetching() {
        manager.fetch.add(ScriptedManagerApi.Answer.fail(401));
        manager.fetch.add(ScriptedManagerApi.Answer.fail(401));
        manager.fetch.add(ScriptedManagerApi.Answer.fail(401));
        start();

        agent.runUntil(() -> manager.count("task") >= 5, Duration.ofMinutes(2));

        assertThat(manager.count("register")).isEqualTo(1);
    }

    @Test
    void singleMode_requestsShutdownAfterTheFirstTask() throws InterruptedException {
        assign();
        worker = agent.start(dir, true, 0, new PreTaskCheck(List.of(), List.of(), Duration.ofSeconds(1)),
                WorkerMetrics.NONE);
        agent.runUntil(() -> hold.holding, Duration.ofSeconds(5));

        hold.finish(HoldCommand.Ending.FAILED);

        await().until(() -> agent.shutdowns.contains(ShutdownCause.SINGLE_TASK_DONE));
    }

    @Test
    void shutdownDuringTask_stopsItAndLogsTheShutdownLine() throws InterruptedException {
        assign();
        start();
        agent.runUntil(() -> hold.holding, Duration.ofSeconds(5));

        worker.beginShutdown(false);

        assertThat(worker.awaitStopped(Duration.ofSeconds(3))).isTrue();
        assertThat(hold.events).contains("stopped");
        assertThat(outbox.silentlyAborting).isEmpty();
        assertThat(outbox.lines).anyMatch(l -> l.contains("stopped running this task because the worker is "
                + "shutting down; the Manager will re-queue it"));
        assertThat(manager.calls).doesNotContain("return " + TASK_ID);
    }

    @Test
    void quarantine_afterNFastFailuresInARow_goesToErrorAndStopsFetchingFor10Minutes() {
        assign();
        assign();
        hold.finish(HoldCommand.Ending.FAILED);
        hold.finish(HoldCommand.Ending.FAILED);
        worker = agent.start(dir, false, 2, new PreTaskCheck(List.of(), List.of(), Duration.ofSeconds(1)),
                WorkerMetrics.NONE);

        agent.runUntil(() -> hold.events.size() == 4, Duration.ofSeconds(10));
        await().until(() -> manager.calls.contains("ack error"));
        agent.runFor(Duration.ofMinutes(9));
        assertThat(manager.count("task")).isEqualTo(2);

        agent.runUntil(() -> manager.count("task") == 3, Duration.ofMinutes(2));
    }

    @Test
    void unexpectedExceptionInTheFetchLoop_isLoggedAndTheLoopResumesAfterAMinute() {
        manager.fetchBug = new IllegalStateException("planted bug");
        start();
        agent.runUntil(() -> manager.count("task") == 1, Duration.ofSeconds(1));
        long failed = agent.clock.nanoTime();

        agent.runUntil(() -> manager.count("task") >= 2, Duration.ofMinutes(2));

        assertThat(Duration.ofNanos(agent.clock.nanoTime() - failed)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void failingPreTaskCheck_acksErrorAndDoesNotFetchUntilTheErrorTimeIsOver() {
        worker = agent.start(dir, false, 0, new PreTaskCheck(List.of(dir.resolve("missing-mount")), List.of(),
                Duration.ofSeconds(1)), WorkerMetrics.NONE);

        await().until(() -> manager.calls.contains("ack error"));
        agent.runFor(Duration.ofMinutes(9));
        assertThat(manager.calls).doesNotContain("ack awake");

        agent.runFor(Duration.ofMinutes(1));
        await().until(() -> manager.calls.contains("ack awake"));
        assertThat(manager.count("task")).isZero();
    }

    @Test
    void shutdownAbandonsAHungStatusChangeCall() throws InterruptedException {
        manager.statusChangeHang = new CountDownLatch(1);
        requestStatus(WorkerStatus.ASLEEP);
        start();
        await().until(() -> manager.calls.contains("ack asleep"));
        agent.clock.advance(AgentHarness.TIMING.asleepPoll());
        await().until(() -> manager.count("status-change") == 1);

        worker.beginShutdown(false);

        assertThat(worker.awaitStopped(Duration.ofSeconds(1))).isTrue();
    }
}
