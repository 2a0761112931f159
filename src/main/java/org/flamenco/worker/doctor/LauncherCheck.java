package org.flamenco.worker.doctor;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.process.ChildProcess;
import org.flamenco.worker.process.LaunchRequest;
import org.flamenco.worker.process.LauncherKind;
import org.flamenco.worker.process.ProcessRun;
import org.flamenco.worker.process.RunOutcome;
import org.flamenco.worker.process.SubprocessPriority;

/**
 * Check 12: the subprocess launcher {@code process_launcher} selects on this OS starts a test child the way a render
 * would start ({@code sh -c 'echo ...'}; {@code cmd.exe /d /c echo ...} on Windows) and reads its output. The
 * checks that make sense per OS follow from the launcher: {@code setsid} only for {@code posix} (Linux).
 */
final class LauncherCheck {
    static final String NAME = "subprocess-launcher";
    private static final String PROBE = "flamenco-worker-launcher-probe";

    private final String setting;
    private final String osName;
    private final java.nio.file.Path workingDir;
    private final Clock clock;

    LauncherCheck(String setting, String osName, java.nio.file.Path workingDir, Clock clock) {
        this.setting = Objects.requireNonNull(setting, "setting");
        this.osName = Objects.requireNonNull(osName, "osName");
        this.workingDir = Objects.requireNonNull(workingDir, "workingDir");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The argv of the test child on {@code osName}. */
    static List<String> probe(String osName) {
        return osName.toLowerCase(Locale.ROOT).startsWith("windows")
                ? List.of("cmd.exe", "/d", "/c", "echo " + PROBE) : List.of("sh", "-c", "echo " + PROBE);
    }

    CheckResult run() throws InterruptedException {
        LauncherKind kind;
        try {
            kind = LauncherKind.select(setting, osName);
        } catch (IllegalArgumentException e) {
            return CheckResult.fail(NAME, "process_launcher = " + setting + ": " + e.getMessage(),
                    "set process_launcher = auto");
        }
        String chosen = kind.settingValue() + " launcher (process_launcher = " + setting + ", " + osName + ")";
        Optional<String> problem = startProbe(kind);
        if (problem.isEmpty()) {
            return CheckResult.ok(NAME, "a test child ran through the " + chosen);
        }
        String hint = kind == LauncherKind.POSIX
                ? "the posix launcher needs the setsid program (util-linux); install it, or set process_launcher ="
                + " spawn" : "set process_launcher = portable (ProcessBuilder only, no process group)";
        return CheckResult.fail(NAME, "a test child did not run through the " + chosen + ": " + problem.get(), hint);
    }

    /** Empty when the test child printed the probe and exited 0; otherwise what went wrong. */
    private Optional<String> startProbe(LauncherKind kind) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        RunOutcome outcome;
        try {
            ChildProcess child = kind.create(SubprocessPriority.INHERITED).start(new LaunchRequest(probe(osName),
                    workingDir));
            outcome = new ProcessRun(child, clock, Duration.ofSeconds(1), Duration.ofSeconds(10), line -> { })
                    .await(lines::add, () -> true);
        } catch (IOException | RuntimeException e) {
            return Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (!lines.contains(PROBE) || outcome.exitStatus().map(s -> !s.success()).orElse(true)) {
            return Optional.of("it printed " + lines + " and " + outcome.exitStatus().map(s -> s.describe())
                    .orElse("was stopped"));
        }
        return Optional.empty();
    }
}
