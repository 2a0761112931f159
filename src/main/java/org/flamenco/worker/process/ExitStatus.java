package org.flamenco.worker.process;

import java.util.Map;

/**
 * How a process ended (commands.md §2.5): an exit code, or death by a signal. The JVM reports a signal death as
 * exit value 128 + N; values 129–192 are read as signal N.
 *
 * @param code   the exit code, when {@code signal} is 0
 * @param signal the signal number that ended the process, or 0 for a normal exit
 */
public record ExitStatus(int code, int signal) {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"),
            Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"),
            Map.entry(9, "SIGKILL"), Map.entry(10, "SIGUSR1"), Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"),
            Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"), Map.entry(15, "SIGTERM"), Map.entry(16, "SIGSTKFLT"),
            Map.entry(17, "SIGCHLD"), Map.entry(18, "SIGCONT"), Map.entry(19, "SIGSTOP"), Map.entry(20, "SIGTSTP"),
            Map.entry(21, "SIGTTIN"), Map.entry(22, "SIGTTOU"), Map.entry(23, "SIGURG"), Map.entry(24, "SIGXCPU"),
            Map.entry(25, "SIGXFSZ"), Map.entry(26, "SIGVTALRM"), Map.entry(27, "SIGPROF"),
            Map.entry(28, "SIGWINCH"), Map.entry(29, "SIGIO"), Map.entry(30, "SIGPWR"), Map.entry(31, "SIGSYS"));

    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    /** Reads a JVM exit value: 129–192 mean death by signal N = value − 128. */
    public static ExitStatus fromJvmExitValue(int value) {
        if (value > 128 && value <= 192) {
            return new ExitStatus(0, value - 128);
        }
        return new ExitStatus(value, 0);
    }

    public boolean killedBySignal() {
        return signal != 0;
    }

    public boolean success() {
        return signal == 0 && code == 0;
    }

    /** {@code SIGKILL (9)}, or {@code -unknown signal 42- (42)} for numbers without a name. */
    public static String signalText(int signal) {
        String name = NAMES.get(signal);
        return (name == null ? "-unknown signal " + signal + "-" : name) + " (" + signal + ")";
    }

    /** {@code exited with status code 3} or {@code terminated due to signal SIGKILL (9)}. */
    public String describe() {
        return killedBySignal() ? "terminated due to signal " + signalText(signal) : "exited with status code " + code;
    }
}
