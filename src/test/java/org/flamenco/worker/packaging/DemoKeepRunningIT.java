package org.flamenco.worker.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.flamenco.worker.packaging.BuiltArtifacts.TOP_DIR;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.packaging.ExternalCommand.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --keep-running} from an unpacked zip (issue 26 item 11): the join hint is a command that works as
 * printed, and the Manager keeps work available for the worker that joins.
 */
@Timeout(240)
class DemoKeepRunningIT {
    @TempDir
    static Path unpacked;
    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void unpackTheZip() throws Exception {
        List<String> command = ExternalCommand.onPath("unzip")
                ? List.of("unzip", "-q", BuiltArtifacts.zip().toString())
                : List.of("tar", "xzf", BuiltArtifacts.tarball().toString());
        Result result = ExternalCommand.run(command, unpacked, Files.createTempDirectory(unpacked, "log"));
        assertThat(result.exitCode()).as("%s", result).isZero();
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void keepRunning_theJoinHintWorksFromTheZip_andTheJoiningWorkerGetsAFreshJob() throws Exception {
        Path demoOut = dir.resolve("demo.out");
        Process demo = start(List.of(unpacked.resolve(TOP_DIR).resolve("bin/flamenco-worker").toString(), "demo",
                "--frames", "1", "--keep-running", "--output", dir.resolve("demo").toString()), demoOut);
        await().atMost(Duration.ofSeconds(120)).until(() -> read(demoOut).contains("-c flamenco-worker.cfg"));
        String join = read(demoOut).lines().filter(l -> l.endsWith("-c flamenco-worker.cfg")).findFirst()
                .orElseThrow().strip();
        assertThat(join).contains(unpacked.resolve(TOP_DIR).resolve("bin/flamenco-worker").toString());

        start(List.of("sh", "-c", join), dir.resolve("joined.out"));

        await().atMost(Duration.ofSeconds(150)).until(() -> read(demoOut).contains("added job 'flamenco-worker "
                + "demo #3'"));
        assertThat(demo.isAlive()).isTrue();
        assertThat(dir.resolve("demo/second-worker/credentials.cfg")).content().contains("worker_id");
        assertThat(dir.resolve("demo/frames-2/published")).isDirectory();
    }

    private Process start(List<String> command, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().remove("FLAMENCO_WORKER_JAVA_OPTS");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("HOME", dir.toString());
        builder.environment().put("PATH", "/usr/bin:/bin"); // the shell-script renderer, whatever is installed
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
