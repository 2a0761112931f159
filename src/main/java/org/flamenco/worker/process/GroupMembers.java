package org.flamenco.worker.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import jnr.posix.POSIX;

/**
 * Whether a process group still has a living (non-zombie) member: {@code kill(-pgid, 0)} says whether any member
 * exists, zombies included; then {@code /proc} (Linux) or {@code ps -A -o pgid=,stat=} (macOS, BSD) tells whether
 * one of them is not a zombie. A zombie holds no resources and cannot be signalled away, so it does not count.
 */
final class GroupMembers {
    private static final long PS_PATIENCE_SECONDS = 5;

    private GroupMembers() {
    }

    static boolean anyLiving(POSIX posix, long pgid) {
        if (posix.kill(-pgid, 0) != 0) {
            return false; // ESRCH: no process has this group id any more
        }
        try {
            return ProcTable.available() ? !ProcTable.groupMembers(pgid).isEmpty() : psListsLiving(pgid);
        } catch (IOException e) {
            return true; // a member exists; its state could not be read
        }
    }

    /** {@code ps} says a non-zombie process has group {@code pgid} (the membership source without /proc). */
    static boolean psListsLiving(long pgid) throws IOException {
        Process ps = new ProcessBuilder("ps", "-A", "-o", "pgid=,stat=").redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        ps.getOutputStream().close();
        String table;
        try (InputStream in = ps.getInputStream()) {
            table = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        try {
            if (!ps.waitFor(PS_PATIENCE_SECONDS, TimeUnit.SECONDS) || ps.exitValue() != 0) {
                ps.destroyForcibly();
                throw new IOException("ps did not list the processes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while ps listed the processes");
        }
        return livingIn(table, pgid);
    }

    /** True when a line of {@code ps -o pgid=,stat=} output has group {@code pgid} and a state other than zombie. */
    static boolean livingIn(String psTable, long pgid) {
        for (String line : psTable.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 2 && f[0].equals(Long.toString(pgid)) && !f[1].startsWith("Z")) {
                return true;
            }
        }
        return false;
    }
}
