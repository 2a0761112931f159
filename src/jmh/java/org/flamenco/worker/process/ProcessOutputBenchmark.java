package org.flamenco.worker.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.clock.SystemClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Lines per second read from a real child printing 1,000,000 short lines ({@code seq 1000000}) into a no-op
 * consumer, through the whole supervised run (setsid start, reader thread, line splitting and decoding, exit).
 * One operation is one line. Run: see docs/benchmarks.md, "Process output".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProcessOutputBenchmark {
    private static final int LINES = 1_000_000;
    private final PosixProcessLauncher launcher = new PosixProcessLauncher();
    private final SystemClock clock = new SystemClock();

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void supervisedRun(Blackhole hole) throws Exception {
        ChildProcess child = launcher.start(new LaunchRequest(List.of("seq", Integer.toString(LINES)), Path.of(".")));
        RunOutcome outcome = new ProcessRun(child, clock, Duration.ofSeconds(5), Duration.ZERO, line -> { })
                .await(hole::consume, () -> false);
        if (!outcome.exitStatus().map(ExitStatus::success).orElse(false)) {
            throw new IllegalStateException("seq failed: " + outcome);
        }
    }
}
