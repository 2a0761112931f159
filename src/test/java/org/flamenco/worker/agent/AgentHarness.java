package org.flamenco.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.task.TaskRunner;
import org.flamenco.worker.testing.FakeClock;

/**
 * A {@link Worker} wired as {@code daemon.Daemon} wires it, with the production timing on a {@link FakeClock}: a
 * scripted Manager, an in-memory outbox and the real {@link TaskRunner} running {@link HoldCommand} tasks. Time moves
 * only in {@link #step}, after the worker's threads have done all they can at the current time.
 */
final class AgentHarness implements AutoCloseable {
    static final WorkerTiming TIMING = WorkerTiming.standard(Duration.ofSeconds(5));

    final FakeClock clock = new FakeClock();
    final ScriptedManagerApi manager = new ScriptedManagerApi();
    final ControllableOutbox outbox = new ControllableOutbox();
    final HoldCommand hold = new HoldCommand();
    final List<ShutdownCause> shutdowns = new CopyOnWriteArrayList<>();
    final WorkerIdentity identity = new WorkerIdentity(List.of("sleep"), "node-01", "linux", Secret.empty(),
            new Credentials("0123456789abcdef01234567", Secret.of("s3cr3t")));
    private final Enrollment enrollment = new Enrollment(manager, identity, c -> { }, clock, () -> 0.5,
            Duration.ofMinutes(10), () -> shutdowns.add(ShutdownCause.REGISTRATION_REFUSED), WorkerMetrics.NONE);
    private final Acks acks = new Acks(manager, enrollment, clock, () -> 0.5);
    private final WorkerTiming timing;
    /** What the worker's random source gives for the spread of the awake loop's waits. */
    private final double spread;
    private final MayIRunPoller poller;
    private PreTaskCheck preTaskCheck;
    Worker worker;

    AgentHarness() {
        this(TIMING, 0.5);
    }

    AgentHarness(WorkerTiming timing, double spread) {
        this.timing = timing;
        this.spread = spread;
        this.poller = new MayIRunPoller(manager, enrollment, clock, timing.mayIRunInterval());
    }

    /** Wires and starts the worker as the daemon does (poller, then the loop). */
    Worker start(Path dir, boolean single, int quarantineAfter, PreTaskCheck check, WorkerMetrics metrics) {
        preTaskCheck = check;
        AgentStates states = new AgentStates(clock, timing, acks, metrics, shutdowns::add, () -> spread);
        TaskSession session = new TaskSession(states, hold.runner(outbox, dir), poller,
                new TaskReturner(manager, outbox, enrollment, identity, clock, () -> 0.5, timing),
                new Quarantine(quarantineAfter, clock), timing, metrics, single);
        worker = new Worker(manager, enrollment, new FetchGate(outbox, check, states, timing), states, session,
                timing, () -> 0.5);
        poller.start();
        worker.start();
        return worker;
    }

    Worker start(Path dir) {
        return start(dir, false, 0, new PreTaskCheck(List.of(), List.of(), Duration.ofSeconds(1)),
                WorkerMetrics.NONE);
    }

    /**
     * Lets the worker's threads settle, then moves time to the earliest deadline anyone waits for, but not past
     * {@code limit} (a monotonic time).
     */
    void step(long limit) {
        settle();
        long next = clock.nextDeadlineIn().orElse(Duration.ofSeconds(1).toNanos());
        clock.advance(Duration.ofNanos(Math.max(1, Math.min(next, limit - clock.nanoTime()))));
    }

    /** Steps time until {@code condition} holds once the threads settled; fails after {@code limit} of fake time. */
    void runUntil(BooleanSupplier condition, Duration limit) {
        long end = clock.nanoTime() + limit.toNanos();
        while (true) {
            settle();
            if (condition.getAsBoolean()) {
                return;
            }
            assertThat(clock.nanoTime()).as("fake time spent waiting for the condition").isLessThan(end);
            step(end);
        }
    }

    /** Steps exactly {@code span} of fake time, whatever happens, and lets the threads settle. */
    void runFor(Duration span) {
        long end = clock.nanoTime() + span.toNanos();
        while (clock.nanoTime() < end) {
            step(end);
        }
        settle();
    }

    /** Waits, without moving time, until the loop is parked on the clock (or holds a task) and the poller waits. */
    void settle() {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                .until(() -> (clock.isWaiting("fw-worker") || hold.holding)
                && clock.isWaiting("fw-may-i-run"));
    }

    @Override
    public void close() throws InterruptedException {
        if (worker != null) {
            worker.beginShutdown(true);
            assertThat(worker.awaitStopped(Duration.ofSeconds(5))).isTrue();
        }
        poller.close();
        acks.close();
        enrollment.close();
        if (preTaskCheck != null) {
            preTaskCheck.close();
        }
    }
}
