package org.flamenco.worker.doctor;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Check 8: a tool (Blender, FFmpeg) is on {@code PATH}, and what version it reports. A missing tool is only a
 * warning, and only for the task types that need it: a node may do just some task types, and jobs may name the
 * tool by full path ({@code blender_cmd}).
 */
final class ToolCheck {
    static final Duration VERSION_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_LINES = 50;

    private final String tool;
    private final String versionFlag;
    private final List<String> neededBy;
    private final String searchPath;
    private final Duration timeout;

    /**
     * @param neededBy   task types whose commands run this tool
     * @param searchPath the {@code PATH} the worker runs with
     * @param timeout    how long the version query may take
     */
    ToolCheck(String tool, String versionFlag, List<String> neededBy, String searchPath, Duration timeout) {
        this.tool = Objects.requireNonNull(tool, "tool");
        this.versionFlag = Objects.requireNonNull(versionFlag, "versionFlag");
        this.neededBy = List.copyOf(neededBy);
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    static ToolCheck blender(String searchPath) {
        return new ToolCheck("blender", "--version", List.of("blender-render", "exr-merge", "test-blender-render"),
                searchPath, VERSION_TIMEOUT);
    }

    static ToolCheck ffmpeg(String searchPath) {
        return new ToolCheck("ffmpeg", "-version", List.of("video-encoding"), searchPath, VERSION_TIMEOUT);
    }

    CheckResult run(List<String> taskTypes) throws InterruptedException {
        List<String> needing = taskTypes.stream().filter(neededBy::contains).toList();
        Optional<Path> exe = find();
        if (exe.isEmpty()) {
            if (needing.isEmpty()) {
                return CheckResult.ok(tool, "not on PATH; not needed by task_types " + String.join(" ", taskTypes));
            }
            return CheckResult.warn(tool, "not found on PATH; task types " + String.join(", ", needing)
                    + " need it unless jobs give its full path", "install " + tool + " or put its directory on the "
                    + "worker's PATH (for the service: Environment=PATH=... in systemctl edit flamenco-worker)");
        }
        return version(exe.get());
    }

    private Optional<Path> find() {
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String name : List.of(tool, tool + ".exe")) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private CheckResult version(Path exe) throws InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(exe.toString(), versionFlag).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File(nullDevice()))).start();
        } catch (IOException e) {
            return CheckResult.warn(tool, exe + " cannot be started: " + e.getMessage(),
                    "check that " + exe + " runs for the worker's user");
        }
        CompletableFuture<List<String>> output = new CompletableFuture<>();
        Thread reader = new Thread(() -> output.complete(readLines(process)), "fw-doctor-" + tool);
        reader.setDaemon(true);
        reader.start();
        try {
            List<String> lines = output.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return CheckResult.ok(tool, exe + ": " + versionLine(lines));
        } catch (TimeoutException e) {
            return CheckResult.warn(tool, exe + " " + versionFlag + " did not finish within "
                    + timeout.toSeconds() + " s", "run it by hand as the worker's user to see why");
        } catch (ExecutionException e) {
            return CheckResult.warn(tool, exe + " " + versionFlag + " failed: " + e.getCause(), "");
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static List<String> readLines(Process process) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (lines.size() < MAX_LINES) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // the process went away; what was read is what there is
        }
        return lines;
    }

    /** The line naming the tool ("Blender 4.2.3 LTS", "ffmpeg version 6.1.1"), else the first non-blank one. */
    private String versionLine(List<String> lines) {
        return lines.stream().map(String::strip)
                .filter(l -> l.toLowerCase(Locale.ROOT).startsWith(tool))
                .findFirst()
                .or(() -> lines.stream().map(String::strip).filter(l -> !l.isEmpty()).findFirst())
                .orElse("(printed no version)");
    }

    private static String nullDevice() {
        return File.separatorChar == '\\' ? "NUL" : "/dev/null";
    }
}
