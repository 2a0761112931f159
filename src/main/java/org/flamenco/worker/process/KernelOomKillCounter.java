package org.flamenco.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@link OomKillCounter} from Linux: the machine-wide {@code oom_kill} of {@code /proc/vmstat} plus the
 * {@code oom_kill} of the worker's memory cgroup ({@code memory.events} on cgroup v2, {@code memory.oom_control} on
 * v1) where it is readable, since a cgroup limit (a container, a systemd {@code MemoryMax=}) kills inside the cgroup
 * and some kernels count that only there. Either rising raises the sum. Empty when neither is readable.
 */
public final class KernelOomKillCounter implements OomKillCounter {
    private final Path vmstat;
    private final Optional<Path> cgroupFile;

    public KernelOomKillCounter() {
        this(Path.of("/proc/vmstat"), cgroupOomFile(Path.of("/proc/self/cgroup"), Path.of("/sys/fs/cgroup")));
    }

    KernelOomKillCounter(Path vmstat, Optional<Path> cgroupFile) {
        this.vmstat = vmstat;
        this.cgroupFile = cgroupFile;
    }

    @Override
    public OptionalLong oomKills() {
        OptionalLong machine = count(vmstat);
        OptionalLong cgroup = cgroupFile.map(KernelOomKillCounter::count).orElse(OptionalLong.empty());
        if (machine.isEmpty() && cgroup.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(machine.orElse(0) + cgroup.orElse(0));
    }

    /** The value of the {@code oom_kill <n>} line of {@code file}. */
    static OptionalLong count(Path file) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("oom_kill ")) {
                    return OptionalLong.of(Long.parseLong(line.substring("oom_kill ".length()).strip()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, an old kernel, or not readable: this source does not tell
        }
        return OptionalLong.empty();
    }

    /**
     * The worker's memory cgroup's counter file, from {@code /proc/self/cgroup}: v2 ({@code 0::/path}) first, then
     * v1's memory controller; each also at the mount's root, which is the worker's own cgroup inside a container
     * with a cgroup namespace.
     */
    static Optional<Path> cgroupOomFile(Path procSelfCgroup, Path cgroupRoot) {
        List<String> lines;
        try {
            lines = Files.readAllLines(procSelfCgroup, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return Optional.empty();
        }
        List<Path> candidates = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && f[0].equals("0") && f[1].isEmpty()) {
                candidates.add(cgroupRoot.resolve(relative(f[2])).resolve("memory.events"));
                candidates.add(cgroupRoot.resolve("memory.events"));
            }
        }
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains("memory")) {
                candidates.add(cgroupRoot.resolve("memory").resolve(relative(f[2])).resolve("memory.oom_control"));
                candidates.add(cgroupRoot.resolve("memory").resolve("memory.oom_control"));
            }
        }
        return candidates.stream().filter(p -> count(p).isPresent()).findFirst();
    }

    private static String relative(String cgroupPath) {
        return cgroupPath.replaceFirst("^/+", "");
    }
}
