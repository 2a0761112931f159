package org.flamenco.worker.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.process.ChildProcess;
import org.flamenco.worker.process.LaunchRequest;
import org.flamenco.worker.process.LauncherKind;
import org.flamenco.worker.process.PosixProcessLauncher;
import org.flamenco.worker.process.ProcessRun;
import org.flamenco.worker.process.ResourceUsage;
import org.flamenco.worker.process.SubprocessPriority;

/**
 * Check 10: the node's memory and swap ({@code /proc/meminfo}), and whether {@code oom_score_adjust} and
 * {@code subprocess_nice} take effect: a test child is started exactly as a render would be, and reports its own
 * {@code oom_score_adj} and niceness. A value that did not take is a warning (renders still run).
 */
final class ResourcesCheck {
    static final String NAME = "memory-and-oom";
    private static final Path PROC = Path.of("/proc");

    private final SubprocessPriority priority;
    private final Path workingDir;
    private final Clock clock;
    private final LauncherKind launcher;

    ResourcesCheck(SubprocessPriority priority, Path workingDir, Clock clock) {
        this(priority, workingDir, clock, LauncherKind.POSIX);
    }

    /** @param launcher the launcher renders start through: only {@link LauncherKind#POSIX} applies the settings */
    ResourcesCheck(SubprocessPriority priority, Path workingDir, Clock clock, LauncherKind launcher) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.priority = Objects.requireNonNull(priority, "priority");
        this.workingDir = Objects.requireNonNull(workingDir, "workingDir");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    CheckResult run() throws InterruptedException {
        Map<String, Long> mem = meminfo(PROC.resolve("meminfo"));
        if (mem.isEmpty()) {
            return CheckResult.ok(NAME, "no /proc/meminfo: memory and OOM settings not checked on this system");
        }
        String memory = "memory " + ResourceUsage.memory(mem.getOrDefault("MemTotal", 0L)) + " ("
                + ResourceUsage.memory(mem.getOrDefault("MemAvailable", 0L)) + " available), swap "
                + (mem.getOrDefault("SwapTotal", 0L) == 0 ? "none"
                : ResourceUsage.memory(mem.get("SwapTotal")) + " (" + ResourceUsage.memory(
                        mem.getOrDefault("SwapFree", 0L)) + " free)");
        if (launcher != LauncherKind.POSIX) {
            String detail = memory + "; oom_score_adjust and subprocess_nice apply with the posix launcher only,"
                    + " renders start through the " + launcher.settingValue() + " launcher";
            return priority.oomScoreAdjust().isPresent() || priority.nice() > 0
                    ? CheckResult.warn(NAME, detail, "set process_launcher = posix (or auto) for them to take effect")
                    : CheckResult.ok(NAME, detail);
        }
        String own = read(PROC.resolve("self").resolve("oom_score_adj")).orElse("?");
        Optional<int[]> probed = probe();
        if (probed.isEmpty()) {
            return CheckResult.warn(NAME, memory + "; the test child did not report its settings",
                    "check that /bin/sh, setsid and nice can run from the working directory");
        }
        int oom = probed.get()[0];
        int nice = probed.get()[1];
        String applied = "a test child ran with oom_score_adj " + oom + " and nice " + nice
                + "; this process's own oom_score_adj is " + own;
        List<String> problems = new ArrayList<>();
        if (priority.oomScoreAdjust().isPresent() && priority.oomScoreAdjust().getAsInt() != oom) {
            problems.add("oom_score_adjust = " + priority.oomScoreAdjust().getAsInt() + " did not take (a process may "
                    + "not lower its own score below the worker's): lower the worker's score (OOMScoreAdjust= in "
                    + "the systemd unit) or raise oom_score_adjust");
        }
        if (priority.nice() > 0 && priority.nice() != nice) {
            problems.add("subprocess_nice = " + priority.nice() + " did not take (the worker itself runs at a higher "
                    + "niceness): start the worker at a lower niceness");
        }
        return problems.isEmpty() ? CheckResult.ok(NAME, memory + "; " + applied)
                : CheckResult.warn(NAME, memory + "; " + applied, String.join("; ", problems));
    }

    /** The test child's own {@code oom_score_adj} and niceness, as it reads them itself. */
    private Optional<int[]> probe() throws InterruptedException {
        List<String> lines = new ArrayList<>();
        try {
            ChildProcess child = new PosixProcessLauncher(priority).start(new LaunchRequest(
                    List.of("cat", "/proc/self/oom_score_adj", "/proc/self/stat"), workingDir));
            new ProcessRun(child, clock, Duration.ofSeconds(1), Duration.ofSeconds(10), line -> { })
                    .await(lines::add, () -> true);
        } catch (IOException e) {
            return Optional.empty();
        }
        OptionalInt oom = OptionalInt.empty();
        OptionalInt nice = OptionalInt.empty();
        for (String line : lines) {
            if (line.matches("-?\\d+")) {
                oom = OptionalInt.of(Integer.parseInt(line));
            } else if (line.lastIndexOf(')') > 0) {
                String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
                nice = f.length > 16 ? OptionalInt.of(Integer.parseInt(f[16])) : nice;
            }
        }
        return oom.isPresent() && nice.isPresent() ? Optional.of(new int[] {oom.getAsInt(), nice.getAsInt()})
                : Optional.empty();
    }

    /** {@code MemTotal: 24684544 kB} → bytes, by key. */
    static Map<String, Long> meminfo(Path file) {
        Map<String, Long> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                String[] f = line.split(":\\s*|\\s+");
                if (f.length >= 2 && f[1].matches("\\d+")) {
                    values.put(f[0], Long.parseLong(f[1]) * (line.endsWith("kB") ? 1024 : 1));
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return values;
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.ISO_8859_1).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
