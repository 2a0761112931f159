package org.flamenco.worker.process;

import java.io.IOException;
import java.util.Map;

/**
 * {@link ProcessLauncher} for any OS with nothing but the JDK: {@link ProcessBuilder} starts the program directly
 * (no {@code setsid}, no process group of its own), and {@link PortableChildProcess} keeps track of its tree through
 * {@link ProcessHandle}. It is the launcher of macOS, Windows and any other non-Linux OS, and
 * {@code process_launcher = portable} selects it on Linux too (where the test suite proves it).
 *
 * <p>What it does not do: OOM score and niceness ({@code oom_score_adjust}, {@code subprocess_nice}) are not applied,
 * and a process that escapes the tree before it was first seen (double fork and exit within one poll of 50 ms) is
 * not found. stdin is a pipe closed at once (end of file, the portable form of the null device). Thread-safe.
 */
public final class PortableProcessLauncher implements ProcessLauncher {
    @Override
    public ChildProcess start(LaunchRequest request) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(request.argv())
                .directory(request.workingDirectory().toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("LD_LIBRARY_PATH");
        request.removedEnvironment().forEach(env::remove);
        Process process = builder.start();
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // the child already ended: it read no input either way
        }
        return new PortableChildProcess(process);
    }
}
