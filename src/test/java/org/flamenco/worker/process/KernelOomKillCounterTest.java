package org.flamenco.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelOomKillCounterTest {
    @TempDir
    Path dir;

    private Path file(String relative, String text) throws Exception {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    @Test
    void sumsTheMachineCountAndTheCgroupCount() throws Exception {
        Path vmstat = file("vmstat", "pgfault 12\noom_kill 3\nnuma_hit 1\n");
        Path events = file("cg/memory.events", "low 0\nhigh 0\nmax 4\noom 2\noom_kill 2\noom_group_kill 0\n");

        OptionalLong count = new KernelOomKillCounter(vmstat, Optional.of(events)).oomKills();

        assertThat(count).hasValue(5);
    }

    @Test
    void unreadableSourcesTellNothing() {
        OptionalLong count = new KernelOomKillCounter(dir.resolve("absent"), Optional.empty()).oomKills();

        assertThat(count).isEmpty();
    }

    @Test
    void findsTheCgroupV2EventsFileOfTheWorkersCgroup() throws Exception {
        Path cgroup = file("proc-self-cgroup", "0::/system.slice/flamenco-worker.service\n");
        Path events = file("sys/system.slice/flamenco-worker.service/memory.events", "oom_kill 0\n");

        assertThat(KernelOomKillCounter.cgroupOomFile(cgroup, dir.resolve("sys"))).contains(events);
    }

    @Test
    void findsTheCgroupV1OomControlOfTheMemoryController() throws Exception {
        Path cgroup = file("proc-self-cgroup", "5:devices:/\n4:memory:/docker/abc\n1:cpu,cpuacct:/\n");
        Path control = file("sys/memory/docker/abc/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n"
                + "oom_kill 9\n");

        assertThat(KernelOomKillCounter.cgroupOomFile(cgroup, dir.resolve("sys"))).contains(control);
        assertThat(KernelOomKillCounter.count(control)).hasValue(9);
    }

    @Test
    void insideACgroupNamespaceTheMountRootIsTheWorkersCgroup() throws Exception {
        Path cgroup = file("proc-self-cgroup", "0::/\n");
        Path events = file("sys/memory.events", "oom_kill 1\n");

        assertThat(KernelOomKillCounter.cgroupOomFile(cgroup, dir.resolve("sys"))).contains(events);
    }
}
