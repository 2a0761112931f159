package org.flamenco.worker.model;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
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

    /** {@code C:renders}: a drive letter without a separator after it. */
    private static final Pattern DRIVE_RELATIVE = Pattern.compile("([A-Za-z]):(?![\\\\/]).*", Pattern.DOTALL);
    /** {@code \renders} or {@code /renders}: one separator first, not two (that would be a share). */
    private static final Pattern ROOT_RELATIVE = Pattern.compile("[\\\\/](?![\\\\/]).*", Pattern.DOTALL);

    private WindowsPaths() {
    }

    /** Whether this host is Windows. */
    public static boolean windowsHere() {
        return File.separatorChar == '\\';
    }

    /**
     * What is wrong with the path setting {@code text} on a host that is ({@code windowsHost}) or is not Windows,
     * for messages ({@code <key> = "<value>" } + this); empty when it names one fixed place there. On a POSIX host
     * a drive letter or {@code \\server} share is {@link #PROBLEM}. On Windows, {@code C:\renders},
     * {@code C:/renders}, {@code \\server\share\x} and {@code //server/share/x} are fixed places and a path without
     * a drive is relative to the working directory, but two forms depend on where the worker was started: a drive
     * letter without a separator ({@code C:renders}, relative to that drive's current directory) and a single
     * leading separator ({@code \renders}, the root of the current drive).
     */
    public static Optional<String> problem(String text, boolean windowsHost) {
        String t = text.strip();
        if (!windowsHost) {
            return looksLikeWindowsPath(t) ? Optional.of(PROBLEM) : Optional.empty();
        }
        var drive = DRIVE_RELATIVE.matcher(t);
        if (drive.matches()) {
            String letter = drive.group(1);
            return Optional.of("is relative to the current directory of drive " + letter + ": (wherever the worker"
                    + " was started); write " + letter + ":\\" + t.substring(2));
        }
        if (ROOT_RELATIVE.matcher(t).matches()) {
            return Optional.of("has no drive letter, so it means that folder on whichever drive the worker was"
                    + " started from; write it with a drive letter (C:" + t.replace('/', '\\') + ") or as a share"
                    + " (\\\\server\\share" + t.replace('/', '\\') + ")");
        }
        return Optional.empty();
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
