package org.flamenco.worker.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.testing.WorkerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short chaos run of CI: a fixed seed and a random one (or {@code -Dchaos.seed=N}), about a minute of faults
 * each, against the packaged worker. A failure names the seed and the {@code bench/chaos} command replaying it;
 * the work directory (worker log, queue) is kept under {@code target/chaos-it/}.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ChaosIT {
    private static final Duration FAULTS = Duration.ofSeconds(50);

    @Test
    void fixedSeed_ledgerHolds() throws Exception {
        runChaos(20261207L);
    }

    @Test
    void randomSeed_ledgerHolds() throws Exception {
        String given = System.getProperty("chaos.seed", "");
        runChaos(given.isEmpty() ? ThreadLocalRandom.current().nextLong(1, 1L << 48) : Long.parseLong(given));
    }

    private static void runChaos(long seed) throws Exception {
        Path dir = Path.of("target", "chaos-it", "seed-" + seed).toAbsolutePath();
        if (Files.exists(dir)) {
            Chaos.deleteTree(dir);
        }
        Files.createDirectories(dir);
        ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new Tee(System.out, transcript), true, StandardCharsets.UTF_8);
        List<String> violations = new ChaosRun(seed, FAULTS, WorkerProcess.jar(), dir, out).run();
        assertThat(violations).as("chaos seed %d violated the ledger; replay: bench/chaos --seed %d --minutes %.2f"
                + " (work directory %s)%n%s", seed, seed, FAULTS.toSeconds() / 60.0, dir,
                transcript.toString(StandardCharsets.UTF_8)).isEmpty();
        Chaos.deleteTree(dir);
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
