package org.flamenco.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a process still runs. {@link ProcessHandle#isAlive()} also reports zombies, which linger when the
 * reaper (PID 1 in a container) is slow; a zombie holds nothing, so on Linux it counts as gone.
 */
final class Liveness {
    private static final Path PROC = Path.of("/proc");

    private Liveness() {
    }

    static boolean isRunning(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        if (!Files.isDirectory(PROC)) {
            return true;
        }
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(handle.pid())).resolve("stat"),
                    StandardCharsets.ISO_8859_1);
            int close = stat.lastIndexOf(')');
            char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : 'R';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false; // gone between the two checks
        }
    }
}
