package org.flamenco.worker.process;

import java.util.Locale;

/**
 * Which {@link ProcessLauncher} runs the subprocesses ({@code process_launcher}, docs/decisions.md). {@code auto}
 * is {@link #POSIX} on Linux, where {@code setsid} and {@code /proc} are there, and {@link #PORTABLE} on every
 * other OS: macOS has no {@code setsid} program and Windows has neither.
 */
public enum LauncherKind {
    /** Session and process group through {@code setsid}, group signals, {@code /proc}: Linux only. */
    POSIX,
    /** {@link ProcessBuilder} + {@link ProcessHandle}: any OS. */
    PORTABLE;

    /** The setting's accepted values, in the form the config error names them. */
    public static final String EXPECTED = "auto, posix or portable";

    /**
     * The launcher for {@code setting} ({@code auto}, {@code posix}, {@code portable}, any case) on the OS
     * {@code osName} ({@code os.name}).
     *
     * @throws IllegalArgumentException an unknown setting, or {@code posix} on an OS other than Linux
     */
    public static LauncherKind select(String setting, String osName) {
        boolean linux = osName.toLowerCase(Locale.ROOT).startsWith("linux");
        switch (setting.strip().toLowerCase(Locale.ROOT)) {
            case "auto":
                return linux ? POSIX : PORTABLE;
            case "portable":
                return PORTABLE;
            case "posix":
                if (!linux) {
                    throw new IllegalArgumentException("posix needs Linux (setsid and /proc); this is " + osName);
                }
                return POSIX;
            default:
                throw new IllegalArgumentException("expected " + EXPECTED);
        }
    }

    /** The launcher; {@code priority} takes effect with {@link #POSIX} only. */
    public ProcessLauncher create(SubprocessPriority priority) {
        return this == POSIX ? new PosixProcessLauncher(priority) : new PortableProcessLauncher();
    }

    /** True when each subprocess leads its own process group, which the PID-file guard relies on. */
    public boolean processGroups() {
        return this == POSIX;
    }

    /** {@code posix} / {@code portable}, as in the setting. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
