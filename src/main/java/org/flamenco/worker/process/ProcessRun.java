package org.flamenco.worker.process;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.flamenco.worker.clock.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Supervises one started child to its end (commands.md §2.4–§2.7), on the calling thread, while a named reader
 * thread ({@code fw-output-<pid>}) feeds its lines to the sink. The run ends when the leader exited and the output
 * is read to its end; processes of the group still alive then are stopped. Inactivity and interruption (a task
 * stop) stop the tree too. Whatever the ending, nothing of the group is left when {@link #await} returns (or the
 * survivors are reported). The tree's resource use is sampled on the controlling thread while it waits
 * ({@link TreeSampler}); {@link #usage()} shows the latest figures.
 */
public final class ProcessRun {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRun.class);
    private static final long POLL_MILLIS = 50;
    private static final Duration READER_JOIN = Duration.ofSeconds(2);
    private static final Duration DRAIN_SILENCE = Duration.ofSeconds(2);

    private final ChildProcess child;
    private final Clock clock;
    private final ProcessTreeStopper stopper;
    private final Duration inactivityTimeout;
    private final ProcessLog log;
    private final TreeSampler sampler;
    private final Consumer<List<ProcessHandle>> treeWatcher;
    private final CountDownLatch readerDone = new CountDownLatch(1);
    private volatile long lastLineNanos;
    private volatile boolean consuming;
    private volatile Throwable readerFailure;

    /**
     * @param inactivityTimeout zero disables it
     */
    public ProcessRun(ChildProcess child, Clock clock, Duration killGrace, Duration inactivityTimeout,
                      ProcessLog log) {
        this(child, clock, killGrace, inactivityTimeout, log, null);
    }

    /**
     * @param treeWatcher told the leader and its living descendants at every poll while the leader runs (e.g.
     *                    {@link PidFileGuard#recordTree}); null when nobody needs them
     */
    public ProcessRun(ChildProcess child, Clock clock, Duration killGrace, Duration inactivityTimeout,
                      ProcessLog log, Consumer<List<ProcessHandle>> treeWatcher) {
        this.treeWatcher = treeWatcher;
        this.child = Objects.requireNonNull(child, "child");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stopper = new ProcessTreeStopper(clock, killGrace);
        this.inactivityTimeout = Objects.requireNonNull(inactivityTimeout, "inactivityTimeout");
        this.log = Objects.requireNonNull(log, "log");
        this.sampler = new TreeSampler(child.pid(), clock.nanoTime());
    }

    /** The tree's figures at the latest sample; readable from any thread. */
    public ResourceUsage usage() {
        return sampler.latest();
    }

    /**
     * Reads the output into {@code sink} until the run ends.
     *
     * @param immediate asked when interrupted: true means KILL without grace
     * @throws InterruptedException after the tree was stopped because the calling thread was interrupted
     */
    public RunOutcome await(LineSink sink, BooleanSupplier immediate) throws InterruptedException {
        return await(sink, immediate, status -> { });
    }

    /**
     * As {@link #await(LineSink, BooleanSupplier)}, telling {@code onExit} how the leader exited as soon as that is
     * known and before leftover group members are stopped (so the exit line precedes the TERM lines). Not called
     * when the run ends by inactivity or interruption.
     */
    public RunOutcome await(LineSink sink, BooleanSupplier immediate, ExitListener onExit)
            throws InterruptedException {
        lastLineNanos = clock.nanoTime();
        Map<String, String> mdc = MDC.getCopyOfContextMap(); // task and command ids for the reader's log records
        Thread reader = new Thread(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            read(sink);
        }, "fw-output-" + child.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            return supervise(immediate, onExit);
        } finally {
            joinReader(reader);
        }
    }

    private RunOutcome supervise(BooleanSupplier immediate, ExitListener onExit) throws InterruptedException {
        Optional<ExitStatus> exit = Optional.empty();
        try {
            while (true) {
                boolean outputDone = readerDone.await(POLL_MILLIS, TimeUnit.MILLISECONDS);
                sampler.sampleIfDue(clock.nanoTime());
                exit = child.waitFor(Duration.ZERO);
                if (treeWatcher != null && exit.isEmpty()) {
                    List<ProcessHandle> tree = new java.util.ArrayList<>(child.descendants());
                    ProcessHandle.of(child.pid()).ifPresent(leader -> tree.add(0, leader));
                    treeWatcher.accept(tree);
                }
                if (exit.isEmpty() && outputDone && readerFailure != null) {
                    // The line processor broke: nobody reads the pipe any more, so the process would block.
                    return finish(exit, onExit);
                }
                if (exit.isPresent() && outputDone) {
                    return finish(exit, onExit);
                }
                if (exit.isPresent() && child.groupAlive()) {
                    // The leader is gone but a member (e.g. a background grandchild) lives on, perhaps holding the
                    // output pipe open: the command has ended, so its leftovers are stopped.
                    return finish(exit, onExit);
                }
                if (exit.isPresent() && clock.nanoTime() - lastLineNanos > DRAIN_SILENCE.toNanos()) {
                    // Leader and group are gone, yet the pipe stays open and silent: a process that left the group
                    // holds it. Nothing more will come from this command.
                    return finish(exit, onExit);
                }
                if (inactive()) {
                    StopResult r = stopper.stop(child, log, false);
                    return new RunOutcome(r.leaderStatus(), RunOutcome.Ending.INACTIVITY_TIMEOUT, r.killSent(),
                            r.survivors(), finalUsage());
                }
            }
        } catch (InterruptedException e) {
            StopResult r = stopper.stop(child, log, immediate.getAsBoolean());
            Thread.interrupted();
            throw new ProcessStoppedException(new RunOutcome(r.leaderStatus(), RunOutcome.Ending.STOPPED, r.killSent(),
                    r.survivors(), finalUsage()));
        }
    }

    private RunOutcome finish(Optional<ExitStatus> exit, ExitListener onExit) throws InterruptedException {
        RunOutcome.Ending ending = RunOutcome.Ending.EXITED;
        if (exit.isPresent()) {
            onExit.exited(exit.get());
        }
        if (child.groupAlive() || !child.descendants().isEmpty()) {
            StopResult r = stopper.stop(child, log, false);
            return new RunOutcome(exit.isPresent() ? exit : r.leaderStatus(), ending, r.killSent(), r.survivors(),
                    finalUsage());
        }
        return new RunOutcome(exit, ending, false, List.of(), finalUsage());
    }

    /** The last sample: by now the leader is reaped (its times are the worker's) and the tree is stopped. */
    private ResourceUsage finalUsage() {
        return sampler.finish(clock.nanoTime());
    }

    private boolean inactive() {
        // A consumer blocked by back-pressure is not the process being silent.
        return !inactivityTimeout.isZero() && !consuming
                && clock.nanoTime() - lastLineNanos >= inactivityTimeout.toNanos();
    }

    private void read(LineSink sink) {
        try {
            new LineReader(child.output(), new LineSink() {
                @Override
                public void line(String line) throws InterruptedException {
                    if (!consuming) {
                        consuming = true; // until the burst is handled: a consumer blocked by back-pressure is busy
                    }
                    sink.line(line);
                }

                @Override
                public void endOfBurst() throws InterruptedException {
                    try {
                        sink.endOfBurst();
                    } finally {
                        lastLineNanos = clock.nanoTime();
                        consuming = false;
                    }
                }
            }).readAll();
        } catch (IOException e) {
            LOG.debug("Output of pid={} ended with {}", child.pid(), e.toString());
        } catch (InterruptedException e) {
            LOG.debug("Output reader of pid={} interrupted", child.pid());
        } catch (RuntimeException | Error e) {
            readerFailure = e;
            LOG.error("Output reader of pid={} failed", child.pid(), e);
        } finally {
            endOutput(sink);
            readerDone.countDown();
        }
    }

    /** Lets the sink hand on what it holds, however the output ended (an error above already ended the run). */
    private void endOutput(LineSink sink) {
        try {
            sink.endOfBurst();
        } catch (InterruptedException e) {
            LOG.debug("Output reader of pid={} interrupted at the end of its output", child.pid());
        } catch (RuntimeException | Error e) {
            if (readerFailure == null) {
                readerFailure = e;
                LOG.error("Output reader of pid={} failed at the end of its output", child.pid(), e);
            }
        }
    }

    private void joinReader(Thread reader) throws InterruptedException {
        boolean interrupted = Thread.interrupted();
        try {
            if (!readerDone.await(READER_JOIN.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Output of pid={} still open after the process tree ended; abandoning its reader",
                        child.pid());
                reader.interrupt();
                try {
                    child.output().close();
                } catch (IOException ignored) {
                    // nothing more to do: the reader thread is a daemon and ends with the pipe
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The failure of the reader thread (a bug in a line processor), if any. */
    public Optional<Throwable> readerFailure() {
        return Optional.ofNullable(readerFailure);
    }
}
