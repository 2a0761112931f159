package org.flamenco.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One line of Linux's {@code /proc/<pid>/stat}, the fields the worker uses. Times are in clock ticks of
 * {@link #TICKS_PER_SECOND}.
 *
 * @param ppid          parent pid
 * @param pgrp          process-group id
 * @param zombie        exited, not yet reaped
 * @param ownTicks      user + system time of the process itself ({@code utime + stime})
 * @param childrenTicks user + system time of its children it has waited for ({@code cutime + cstime})
 * @param nice          niceness
 */
record ProcStat(long ppid, long pgrp, boolean zombie, long ownTicks, long childrenTicks, int nice) {
    /** {@code USER_HZ}: the kernel reports times in /proc in hundredths of a second on every architecture we run on. */
    static final long TICKS_PER_SECOND = 100;
    private static final Path PROC = Path.of("/proc");

    /** The stat of {@code pid}; empty when it is gone (or there is no /proc). */
    static Optional<ProcStat> of(long pid) {
        return read(PROC.resolve(Long.toString(pid)).resolve("stat"));
    }

    /** The worker's own stat (for its waited-for children's times). */
    static Optional<ProcStat> self() {
        return read(PROC.resolve("self").resolve("stat"));
    }

    /** The niceness of the calling thread, which a child it starts inherits; 0 when unknown. */
    static int ownNice() {
        return read(PROC.resolve("thread-self").resolve("stat")).map(ProcStat::nice).orElse(0);
    }

    static Optional<ProcStat> read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone while being read, or no /proc
        }
    }

    /** Parses the text after the command name, which may itself contain spaces and parentheses. */
    static Optional<ProcStat> parse(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return Optional.empty();
        }
        // state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        // priority nice ...
        String[] f = stat.substring(close + 2).split(" ", 18);
        if (f.length < 18) {
            return Optional.empty();
        }
        char state = f[0].isEmpty() ? '?' : f[0].charAt(0);
        return Optional.of(new ProcStat(Long.parseLong(f[1]), Long.parseLong(f[2]), state == 'Z' || state == 'X',
                Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14]),
                Integer.parseInt(f[16])));
    }
}
