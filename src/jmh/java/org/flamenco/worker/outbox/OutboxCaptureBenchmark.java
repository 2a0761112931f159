package org.flamenco.worker.outbox;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.model.ExecutionId;
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
 * Durable capture throughput: log lines captured into a real SQLite file (WAL, synchronous=NORMAL) and committed,
 * so that they survive a killed process. One invocation captures {@value #LINES} lines of typical render-output
 * length, then waits until they are committed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class OutboxCaptureBenchmark {
    private static final int LINES = 1000;
    private static final String LINE =
            "Fra:42 Mem:312.45M (Peak 401.02M) | Time:00:12.34 | Remaining:01:02.11 | Sample 17/128";

    private SqliteOutbox outbox;
    private ExecutionId execution;

    @Setup(Level.Trial)
    public void open() throws Exception {
        outbox = BenchQueues.openInNewDirectory("outbox-bench", 0, new SystemClock());
        execution = outbox.beginExecution("5c8f0a9b1d2e3f4a5b6c7d8e");
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        BenchQueues.closeAndDelete(outbox);
    }

    /** Lines per second, each committed before the invocation ends. */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void captureLinesDurably() throws Exception {
        for (int i = 0; i < LINES; i++) {
            outbox.captureLog(execution, LINE);
        }
        outbox.awaitCommitted();
    }
}
