package org.flamenco.worker.outbox;

/** One write the committer applies, in the order producers queued them. */
sealed interface Op permits Op.Insert, Op.Release, LogChunk {
    /** True when the transaction holding this op must be synced to disk before the producer goes on. */
    boolean sync();

    /** Approximate memory held while uncommitted, for back-pressure. */
    long weight();

    /** How many queued ops this one stands for (a {@link LogChunk} holds several log-line inserts). */
    default int count() {
        return 1;
    }

    /** How many captured elements this op inserts. */
    default int inserts() {
        return 0;
    }

    /**
     * A captured element (worker-behaviour.md §13.1).
     *
     * @param logBytes UTF-8 bytes of a log line's text (0 for an activity snapshot)
     */
    record Insert(long seq, String taskId, String executionId, Kind kind, boolean silent, boolean statusChange,
                  boolean finalStatus, String payload, long logBytes, long capturedMicros) implements Op {
        @Override
        public boolean sync() {
            return statusChange;
        }

        @Override
        public long weight() {
            return 64L + 2L * payload.length();
        }

        @Override
        public int inserts() {
            return 1;
        }
    }

    /** Marks the elements {@code fromSeq..toSeq} of an execution sendable as push {@code pushId}. */
    record Release(String executionId, long fromSeq, long toSeq, long pushId, boolean sync) implements Op {
        @Override
        public long weight() {
            return 64L;
        }
    }

    /** What an element holds. */
    enum Kind {
        ACTIVITY("activity"),
        LOG("log");

        private final String column;

        Kind(String column) {
            this.column = column;
        }

        String column() {
            return column;
        }

        static Kind fromColumn(String value) {
            for (Kind k : values()) {
                if (k.column.equals(value)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown element kind '" + value + "'");
        }
    }
}
