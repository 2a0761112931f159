package org.flamenco.worker.process;

import java.util.Locale;
import java.util.function.Predicate;

/**
 * Which {@link ProcessLauncher} runs the subprocesses ({@code process_launcher}, docs/decisions.md). {@code auto}
 * is {@link #POSIX} on Linux, where {@code setsid} and {@code /proc} are there; {@link #SPAWN} on macOS (no
 * {@code setsid} program there); {@link #WINDOWS} on Windows; and {@link #PORTABLE} on every other OS, or where the
 * native library {@code SPAWN}/{@code WINDOWS} need does not load.
 */
public enum LauncherKind {
    /** Session and process group through {@code setsid}, group signals, {@code /proc}: Linux only. */
    POSIX,
    /** {@link ProcessBuilder} + {@link ProcessHandle}: any OS. */
    PORTABLE,
    /** {@code posix_spawnp} with a process group of its own, group signals: macOS, and any POSIX OS. */
    SPAWN,
    /** A new process group in a Job Object (kill-on-close), CTRL_BREAK / TerminateJobObject: Windows only. */
    WINDOWS;

    /** The setting's accepted values, in the form the config error names them. */
    public static final String EXPECTED = "auto, posix, spawn, windows or portable";

    /** As {@link #select(String, String, Predicate)} with this machine's native libraries. */
    public static LauncherKind select(String setting, String osName) {
        return select(setting, osName, LauncherKind::loads);
    }

    /**
     * The launcher for {@code setting} ({@code auto}, {@code posix}, {@code spawn}, {@code windows},
     * {@code portable}, any case) on the OS {@code osName} ({@code os.name}).
     *
     * @param loads whether the native library a kind needs loads here ({@link #loads()}); where it does not,
     *              {@link #PORTABLE} runs instead, for {@code auto} and for an explicit {@code spawn} or
     *              {@code windows} alike (the caller logs the choice next to the setting)
     * @throws IllegalArgumentException an unknown setting, or a launcher this OS cannot run
     */
    public static LauncherKind select(String setting, String osName, Predicate<LauncherKind> loads) {
        String os = osName.toLowerCase(Locale.ROOT);
        boolean linux = os.startsWith("linux");
        boolean windows = os.startsWith("windows");
        switch (setting.strip().toLowerCase(Locale.ROOT)) {
            case "auto":
                if (linux) {
                    return POSIX;
                }
                LauncherKind preferred = windows ? WINDOWS : os.startsWith("mac") ? SPAWN : PORTABLE;
                return preferred == PORTABLE || loads.test(preferred) ? preferred : PORTABLE;
            case "portable":
                return PORTABLE;
            case "posix":
                if (!linux) {
                    throw new IllegalArgumentException("posix needs Linux (setsid and /proc); this is " + osName);
                }
                return POSIX;
            case "spawn":
                if (windows) {
                    throw new IllegalArgumentException("spawn needs a POSIX system; this is " + osName);
                }
                return loads.test(SPAWN) ? SPAWN : PORTABLE;
            case "windows":
                if (!windows) {
                    throw new IllegalArgumentException("windows needs Windows; this is " + osName);
                }
                return loads.test(WINDOWS) ? WINDOWS : PORTABLE;
            default:
                throw new IllegalArgumentException("expected " + EXPECTED);
        }
    }

    /** True when this kind's native part loads on this machine ({@link #PORTABLE} needs none). */
    public boolean loads() {
        switch (this) {
            case SPAWN:
                return NativePosix.load().isPresent();
            case WINDOWS:
                return JnrKernel32.load().isPresent();
            default:
                return true;
        }
    }

    /** The launcher; {@code priority} takes effect with {@link #POSIX} only. */
    public ProcessLauncher create(SubprocessPriority priority) {
        switch (this) {
            case POSIX:
                return new PosixProcessLauncher(priority);
            case SPAWN:
                return new SpawnProcessLauncher(NativePosix.load()
                        .orElseThrow(() -> new IllegalStateException("jnr-posix's native library does not load")));
            case WINDOWS:
                return new WindowsProcessLauncher(JnrKernel32.load()
                        .orElseThrow(() -> new IllegalStateException("kernel32 does not load through jnr-ffi")));
            default:
                return new PortableProcessLauncher();
        }
    }

    /**
     * True when the PID-file guard finds a leftover through its session and group ({@link #POSIX}: leader pid =
     * group = session). The other kinds record the tree beside the PID file and find a leftover by pid and start
     * instant ({@code .tree} file), which needs neither {@code /proc} nor sessions.
     */
    public boolean processGroups() {
        return this == POSIX;
    }

    /** {@code posix} / {@code portable} / {@code spawn} / {@code windows}, as in the setting. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
