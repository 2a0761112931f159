package org.flamenco.worker.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.model.TaskStatus;

/**
 * Child process for {@link KillNineTest}: captures {@code line <n>} in a loop and prints {@code committed <n>} once
 * the first n lines are committed, until it is killed.
 */
public final class CaptureLoopMain {
    private CaptureLoopMain() {
    }

    public static void main(String[] args) throws Exception {
        OutboxSettings settings = new OutboxSettings(Path.of(args[0]), Duration.ofSeconds(15),
                Duration.ofSeconds(30), 1000, 0);
        SqliteOutbox outbox = SqliteOutbox.open(settings, new SystemClock());
        ExecutionId exec = outbox.beginExecution("5c8f0a9b1d2e3f4a5b6c7d8e");
        outbox.captureActivity(exec, new ActivitySnapshot(TaskStatus.ACTIVE, "looping", 0, 0, 0, Map.of()));
        for (long n = 0; ; n++) {
            outbox.captureLog(exec, "line " + n);
            if (n % 50 == 49) {
                outbox.awaitCommitted();
                System.out.println("committed " + (n + 1));
                System.out.flush();
            }
        }
    }
}
