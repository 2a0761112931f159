package org.flamenco.worker.task;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandRegistry;
import org.flamenco.worker.command.SubprocessSettings;
import org.flamenco.worker.command.misc.MiscCommands;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.TaskCommands;
import org.flamenco.worker.outbox.BenchQueues;
import org.flamenco.worker.outbox.SqliteOutbox;
import org.flamenco.worker.process.PidFileGuard;
import org.flamenco.worker.process.PosixProcessLauncher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 7's goal: a command printing 1,000,000 short lines is read and handed to the outbox. One invocation runs a
 * real task (one {@code exec} of {@code seq 1000000}) through the {@link TaskRunner} into a real {@link SqliteOutbox}
 * file with the default push settings, until the task's {@code completed} status is committed (and with it every
 * line before it). One operation is one line. The fork runs with the service heap ({@code -Xmx64m}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-Xss512k"})
public class TaskLogCaptureBenchmark {
    private static final int LINES = 1_000_000;

    private SqliteOutbox outbox;
    private TaskRunner runner;
    private int taskNumber;

    @Setup(Level.Invocation)
    public void open() throws Exception {
        SystemClock clock = new SystemClock();
        outbox = BenchQueues.openInNewDirectory("task-log-bench", 64L * 1024 * 1024, clock);
        CommandEnvironment env = new CommandEnvironment(outbox.file().getParent(), clock, new PosixProcessLauncher(),
                new SubprocessSettings(Duration.ofSeconds(1), Duration.ZERO), PidFileGuard.disabled());
        runner = new TaskRunner(new CommandRegistry(MiscCommands.v2()), outbox, clock, (taskId, file) -> { }, env);
    }

    @TearDown(Level.Invocation)
    public void close() throws IOException {
        BenchQueues.closeAndDelete(outbox);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public TaskOutcome seqMillionLines() {
        Task task = new Task(String.format("%024x", ++taskNumber), "bench", "bench", "bench", "bench",
                TaskCommands.decodeV2(List.of(Map.of("name", "exec", "settings", Map.of("cmd", "seq " + LINES)))));
        TaskOutcome outcome = runner.run(task);
        if (outcome.kind() != TaskOutcome.Kind.COMPLETED) {
            throw new IllegalStateException("task did not complete: " + outcome);
        }
        return outcome;
    }
}
