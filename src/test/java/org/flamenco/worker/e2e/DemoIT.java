package org.flamenco.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** README command 1, as a new user runs it: {@code java -jar target/flamenco-worker.jar demo} from the checkout. */
@Timeout(180)
class DemoIT {
    @TempDir
    Path dir;

    @Test
    void demoRunsTheSampleJobToTheEndAndExitsZero() throws Exception {
        Path out = dir.resolve("demo");
        Path log = dir.resolve("demo.out");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                "target/flamenco-worker.jar", "demo", "--frames", "2", "--output", out.toString());

        Process demo = new ProcessBuilder(cmd).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        assertThat(demo.waitFor(150, TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(demo.exitValue()).as(printed).isZero();
        assertThat(printed).contains("Demo finished: every task completed.", "worker signed off: yes, exit code 0");
        // Real Blender renders PNG frames when installed; otherwise the shell script writes PPM frames.
        Path frame = out.resolve(printed.contains("rendered by Blender") ? "frames/frame-0002.png"
                : "frames/frame-0002.ppm");
        assertThat(frame).isNotEmptyFile();
    }
}
