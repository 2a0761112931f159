package org.flamenco.worker.outbox;

import java.nio.file.Path;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the {@link Committer}'s thread checkpoints the WAL, outside any write transaction. Neither connection
 * checkpoints on commit ({@code wal_autocheckpoint = 0}, {@link QueueDatabase#connect}): SQLite's automatic checkpoint
 * runs inside the commit that fills the WAL, with two fsyncs; the sender's removal of a delivered update was often
 * that commit, so the next request waited for the disk, and a commit of captured output held the write turn (see
 * {@link QueueStore}) through it. Once about {@code thresholdBytes} have been written since the last checkpoint, by
 * the committer or by the store, the committer runs a passive checkpoint, which lets both go on writing meanwhile.
 * Thread-safe (counts are reported from both connections' threads).
 */
final class WalCheckpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class); // one log for the commit thread

    private final OpWriter writer;
    private final Path file;
    private final long thresholdBytes;
    /** Estimated WAL bytes written since the last checkpoint. */
    private long walBytes;
    private long count;
    private boolean failing;

    WalCheckpoints(OpWriter writer, Path file, long thresholdBytes) {
        this.writer = writer;
        this.file = file;
        this.thresholdBytes = thresholdBytes;
    }

    /** Counts {@code bytes} written to the WAL; returns true when a checkpoint is due. */
    synchronized boolean wrote(long bytes) {
        walBytes += bytes;
        return walBytes >= thresholdBytes;
    }

    synchronized boolean due() {
        return walBytes >= thresholdBytes;
    }

    /** Checkpoints run so far. */
    synchronized long count() {
        return count;
    }

    /** A passive checkpoint, when one is due (committer thread). */
    void runIfDue() {
        synchronized (this) {
            if (walBytes < thresholdBytes) {
                return;
            }
            walBytes = 0;
        }
        boolean failed = false;
        try {
            writer.checkpoint();
        } catch (SQLException e) {
            failed = true;
            // Nothing is lost: the WAL keeps the data and grows until a later checkpoint succeeds.
            if (!failingBefore()) {
                LOG.warn("Cannot checkpoint the update queue {} ({}); retrying after the next writes", file,
                        QueueDatabase.reason(e));
            }
        }
        synchronized (this) {
            count++;
            failing = failed;
        }
    }

    private synchronized boolean failingBefore() {
        return failing;
    }
}
