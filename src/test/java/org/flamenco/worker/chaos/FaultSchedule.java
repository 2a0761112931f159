package org.flamenco.worker.chaos;

import java.util.Random;

/**
 * The seeded fault schedule of a chaos run: an endless sequence of (pause, fault with its parameters), the same for
 * the same seed and options. What a fault does to the worker depends on timing, so a replay meets the same faults
 * in the same order, not necessarily at the same lines.
 */
final class FaultSchedule {
    enum Kind {
        MANAGER_DOWN, ERROR_STORM, RATE_LIMIT, HOLD, HOLD_AFTER_APPLY, MALFORMED, RESET, BAD_REQUEST, CANCEL,
        SLEEP_STATUS, SHUTDOWN_STATUS, SIGUSR, SIGTERM, KILL9, DISK_FULL
    }

    /**
     * One fault.
     *
     * @param pauseMillis wait before it
     * @param seconds     how long it lasts (outage, hold window, sleep, disk full), or the hold of a reply
     * @param count       how many replies it replaces (storms, resets, malformed)
     * @param variant     which status, path, body or signal flavour
     */
    record Fault(long pauseMillis, Kind kind, double seconds, int count, int variant) {
        @Override
        public String toString() {
            return kind + "(" + String.format(java.util.Locale.ROOT, "%.1f", seconds) + " s, " + count + ", v"
                    + variant + ")";
        }
    }

    private static final Kind[] WEIGHTED = {
        Kind.MANAGER_DOWN, Kind.MANAGER_DOWN, Kind.ERROR_STORM, Kind.ERROR_STORM, Kind.RATE_LIMIT, Kind.HOLD,
        Kind.HOLD_AFTER_APPLY, Kind.MALFORMED, Kind.MALFORMED, Kind.RESET, Kind.RESET, Kind.BAD_REQUEST, Kind.CANCEL,
        Kind.SLEEP_STATUS, Kind.SHUTDOWN_STATUS, Kind.SIGUSR, Kind.SIGTERM, Kind.KILL9, Kind.KILL9, Kind.DISK_FULL,
    };

    private final Random random;
    private final boolean diskFull;

    FaultSchedule(long seed, boolean diskFull) {
        this.random = new Random(seed);
        this.diskFull = diskFull;
    }

    Fault next() {
        long pause = 2000 + random.nextInt(6000);
        Kind kind = WEIGHTED[random.nextInt(WEIGHTED.length)];
        double seconds = 1 + random.nextInt(80) / 10.0;
        int count = 1 + random.nextInt(30);
        int variant = random.nextInt(6);
        if (kind == Kind.DISK_FULL && !diskFull) {
            kind = Kind.ERROR_STORM;
        }
        return new Fault(pause, kind, seconds, count, variant);
    }
}
