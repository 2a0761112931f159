package org.flamenco.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** README command 1, as a new user runs it: {@code java -jar target/flamenco-worker.jar demo} from the checkout. */
@Timeout(240)
class DemoIT {
    @TempDir
    Path dir;

    private Process demo(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", "target/flamenco-worker.jar", "demo"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void demoRunsTheSampleJobToTheEndAndExitsZero() throws Exception {
        Path out = dir.resolve("demo");
        Path log = dir.resolve("demo.out");

        Process demo = demo(log, "--frames", "2", "--output", out.toString());

        assertThat(demo.waitFor(150, TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(demo.exitValue()).as(printed).isZero();
        assertThat(printed).contains("Demo finished: every task completed.", "worker signed off: yes, exit code 0");
        // Real Blender renders PNG frames when installed; otherwise the shell script writes PPM frames.
        Path frame = out.resolve(printed.contains("rendered by Blender") ? "frames/frame-0002.png"
                : "frames/frame-0002.ppm");
        assertThat(frame).isNotEmptyFile();
    }

    @Test
    void aSecondRun_startsFresh_printsItsFirstLineOnce_andClaimsNoProgressBeforeTheFirstFrame() throws Exception {
        Path out = dir.resolve("demo");
        Path first = dir.resolve("first.out");
        Path second = dir.resolve("second.out");
        assertThat(demo(first, "--frames", "2", "--output", out.toString()).waitFor(150, TimeUnit.SECONDS)).isTrue();

        Process demo = demo(second, "--frames", "2", "--output", out.toString());

        assertThat(demo.waitFor(150, TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(second, StandardCharsets.UTF_8);
        assertThat(demo.exitValue()).as(printed).isZero();
        assertThat(printed).contains("Removed the previous demo run's")
                .contains("files produced: " + filesProduced(Files.readString(first, StandardCharsets.UTF_8)));
        assertThat(printed.lines().filter(l -> l.contains("listening on"))).hasSize(1);
        List<String> render = printed.lines().filter(l -> l.startsWith("render-frames")).toList();
        int firstFrame = render.indexOf(render.stream().filter(l -> l.contains("frame 1 of 2")).findFirst()
                .orElse(render.get(render.size() - 1)));
        assertThat(render.subList(0, firstFrame + 1)).allMatch(l -> l.matches("render-frames\\s+\\S+\\s+0%.*"));
    }

    @Test
    void invalidFrames_isAUsageErrorBeforeAnythingRuns() throws Exception {
        Path out = dir.resolve("demo");
        Path log = dir.resolve("demo.out");

        Process demo = demo(log, "--frames", "0", "--output", out.toString());

        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(demo.exitValue()).as(printed).isEqualTo(2);
        assertThat(printed).startsWith("demo: --frames must be from 1 to 1000, got 0").contains("--help")
                .doesNotContain("Exception", "Embedded Manager");
        assertThat(out).doesNotExist();
    }

    private static String filesProduced(String printed) {
        return printed.lines().filter(l -> l.contains("files produced: ")).findFirst().orElseThrow()
                .replaceAll(".*files produced: (\\d+) .*", "$1") + " in";
    }
}
