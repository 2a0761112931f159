package org.flamenco.worker.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.flamenco.worker.clock.Clock;

/** Queue files for benchmarks: a fresh one in its own temporary directory, and its removal. */
public final class BenchQueues {
    private BenchQueues() {
    }

    /** Opens {@code queue.db} in a new temporary directory with the default push settings. */
    public static SqliteOutbox openInNewDirectory(String prefix, long taskLogMaxBytes, Clock clock)
            throws IOException, OutboxException {
        Path dir = Files.createTempDirectory(prefix);
        return SqliteOutbox.open(new OutboxSettings(dir.resolve("queue.db"), Duration.ofSeconds(15),
                Duration.ofSeconds(30), 1000, taskLogMaxBytes), clock);
    }

    /** Closes the queue and deletes its directory. */
    public static void closeAndDelete(SqliteOutbox outbox) throws IOException {
        outbox.close();
        try (Stream<Path> files = Files.walk(outbox.file().getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
