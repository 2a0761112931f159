package org.flamenco.worker.process;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link LineReader} alone on 100,000 Blender-style progress lines held in memory, with the worker's service JVM
 * flags (C1 only, serial GC, 64 MB heap): plain ASCII lines, and the same lines with one non-ASCII character each
 * (the decoder path). One operation is one line. Run: see docs/benchmarks.md, "Process output".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xss512k"})
public class LineReaderBenchmark {
    private static final int LINES = 100_000;

    @Param({"ascii", "utf8"})
    public String text;

    private byte[] output;

    @Setup
    public void makeOutput() {
        String scene = text.equals("ascii") ? "Scene" : "Scène";
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= LINES; i++) {
            sb.append("Fra:1 Mem:12.00M (Peak 12.00M) | Time:00:01.23 | ").append(scene).append(", Rendering ")
                    .append(i).append('\n');
        }
        output = sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void readLines(Blackhole hole) throws Exception {
        new LineReader(new ByteArrayInputStream(output), hole::consume).readAll();
    }
}
