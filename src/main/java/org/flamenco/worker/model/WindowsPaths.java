package org.flamenco.worker.model;

import java.io.File;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A path written the Windows way ({@code D:\flamenco\queue.db}, {@code \\server\share\x}) in a configuration read on
 * a POSIX host, where it is silently a file name in the working directory (worker-behaviour.md §2.3). Used by the
 * configuration (a warning), the pre-task check (a failure) and doctor.
 */
public final class WindowsPaths {
    /** What is wrong with such a path, for messages: {@code <key> = "<value>" } + this. */
    public static final String PROBLEM = "looks like a Windows path (drive letter or \\\\server share); on this "
            + "system it is a file name in the working directory, not that location";

    private static final Pattern WRITTEN = Pattern.compile("([A-Za-z]:[\\\\/]|\\\\\\\\).*", Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("[A-Za-z]:|([A-Za-z]:\\\\|\\\\\\\\).*", Pattern.DOTALL);

    private WindowsPaths() {
    }

    /** Whether Windows paths mean something else on this host (it is not Windows). */
    public static boolean foreignHere() {
        return File.separatorChar == '/';
    }

    /** {@code text} as written starts with a drive letter ({@code D:\}, {@code D:/}) or {@code \\}. */
    public static boolean looksLikeWindowsPath(String text) {
        return WRITTEN.matcher(text).matches();
    }

    /** The resolved {@code path} holds such a path as one of its names (only on a host where that is foreign). */
    public static boolean containsWindowsPath(Path path) {
        if (!foreignHere()) {
            return false;
        }
        for (Path name : path) {
            if (NAME.matcher(name.toString()).matches()) {
                return true;
            }
        }
        return false;
    }
}
