package org.flamenco.worker.outbox;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.LogText;
import org.flamenco.worker.model.TaskUpdate;

/** Collects the head group under the limits of §12.3. */
final class GroupBuilder {
    final String taskId;
    final String executionId;
    final boolean silent;
    final long firstSeq;
    long lastSeq;
    int elements;
    int lines;
    long logBytes;
    final List<byte[]> log = new ArrayList<>();
    String latestSnapshot;
    ActivitySnapshot snapshot;
    String undecodable;
    final SnapshotJson decoder;

    GroupBuilder(SnapshotJson decoder, String taskId, String executionId, boolean silent, long firstSeq) {
        this.decoder = decoder;
        this.taskId = taskId;
        this.executionId = executionId;
        this.silent = silent;
        this.firstSeq = firstSeq;
    }

    /**
     * Adds a log row if it fits; returns false when the group is complete. The row holds {@code rowLines} lines
     * joined with {@code \n}; their bytes are counted without the separators ({@code storedBytes}, or computed
     * when it is -1, for rows of schema version 1).
     */
    boolean addLog(long seq, int rowLines, long storedBytes, byte[] text, int maxLines, long maxBytes) {
        if (undecodable != null) {
            return false;
        }
        int n = Math.max(1, rowLines);
        long bytes = storedBytes >= 0 ? storedBytes : text.length - (n - 1);
        if (elements > 0 && (lines + n > maxLines || logBytes + bytes > maxBytes)) {
            return false;
        }
        log.add(text);
        lines += n;
        logBytes += bytes;
        lastSeq = seq + n - 1;
        elements += n;
        return true;
    }

    /** Adds an activity row; returns false when the group is complete (after a status change, or undecodable). */
    boolean addActivity(long seq, String kindColumn, boolean statusChange, String payload) {
        if (undecodable != null) {
            return false;
        }
        try {
            if (!Op.Kind.ACTIVITY.column().equals(kindColumn)) {
                throw new IllegalArgumentException("unknown element kind '" + kindColumn + "'");
            }
            snapshot = decoder.decode(payload);
        } catch (IllegalArgumentException e) {
            if (elements == 0) {
                // An element that cannot be decoded goes to the dead letters on its own.
                undecodable = e.getMessage();
                lastSeq = seq;
                elements = 1;
            }
            return false;
        }
        latestSnapshot = payload;
        lastSeq = seq;
        elements++;
        // A status change is always the last element of its request.
        return !statusChange;
    }

    /**
     * @param previousSnapshot the stored snapshot of the group sent just before this one, when of the same
     *                         execution and not yet in the snapshot table, or {@code null}
     */
    Batch build(QueueStore store, String previousSnapshot) throws SQLException {
        Batch.Span span = new Batch.Span(taskId, executionId, silent, firstSeq, lastSeq);
        if (undecodable != null) {
            return Batch.undecodable(span, elements, undecodable);
        }
        TaskUpdate update;
        LogText joined = log.isEmpty() ? null : LogText.ofUtf8(log);
        if (silent) {
            update = joined == null ? null : new TaskUpdate(taskId, null, joined);
        } else {
            ActivitySnapshot current = snapshot != null ? snapshot
                    : previousSnapshot != null ? QueueStore.decodedOrInitial(decoder, previousSnapshot)
                    : store.snapshotBefore(executionId);
            update = new TaskUpdate(taskId, current, joined);
        }
        return Batch.of(span, update, elements, logBytes, latestSnapshot);
    }
}
