package org.flamenco.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.flamenco.worker.testing.NoLeakedProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The CPU figures where there is no /proc: {@link ProcessHandle.Info} (which the JDK also answers on Linux). */
@Timeout(60)
@ExtendWith(NoLeakedProcesses.class)
class HandleCpuSamplerTest {
    @TempDir
    Path dir;

    @Test
    void aBusyGrandchildsCpuTimeCountsAndStaysAfterItStopped() throws Exception {
        // the grandchild burns CPU until the file "stop" appears, then ends; the leader sleeps on
        ChildProcess child = new PortableProcessLauncher().start(new LaunchRequest(List.of("sh", "-c",
                "sh -c 'while [ ! -e stop ]; do :; done' & echo $!; exec sleep 1000"), dir));
        try {
            long busy = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(child.output(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine().strip());
            HandleCpuSampler sampler = new HandleCpuSampler(child.pid());
            await().atMost(Duration.ofSeconds(30)).until(() -> sampler.sample().toMillis() >= 300);
            java.nio.file.Files.writeString(dir.resolve("stop"), "");
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(busy).filter(Liveness::isRunning)
                    .isEmpty());

            Duration after = sampler.sample();

            assertThat(after).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        } finally {
            child.signalGroup(ExitStatus.SIGKILL);
            child.waitFor(Duration.ofSeconds(10));
        }
    }

    @Test
    void withoutMemoryTheLastLineGivesWallAndCpu() {
        ResourceUsage usage = ResourceUsage.withoutMemory(Duration.ofSeconds(192), Duration.ofSeconds(1325));

        assertThat(usage.describe()).isEqualTo("finished in 3m12s, CPU 22m05s");
        assertThat(new ResourceUsage(Duration.ofSeconds(2), Duration.ZERO, 0, false).describe())
                .isEqualTo("finished in 2.0s");
    }
}
