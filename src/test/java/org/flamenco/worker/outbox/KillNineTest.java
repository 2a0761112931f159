package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.model.TaskStatus;
import org.flamenco.worker.model.TaskUpdate;
import org.flamenco.worker.testing.RecordingCredentialsGuard;
import org.flamenco.worker.testing.RecordingManagerApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real {@code kill -9} of a capturing JVM: every line it reported as committed is in the file, once, in order. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KillNineTest {
    @TempDir
    Path dir;

    @Test
    void killedCapturingProcess_keepsEveryCommittedLineOnceAndInOrder() throws Exception {
        Path db = dir.resolve("queue.db");
        long reported = runAndKill(db, 20_000);

        List<String> stored = QueueFile.logTexts(db, "1 = 1");

        assertThat(reported).isGreaterThanOrEqualTo(20_000);
        assertThat(stored.size()).isGreaterThanOrEqualTo((int) reported);
        assertThat(stored).isEqualTo(LongStream.range(0, stored.size()).mapToObj(n -> "line " + n).toList());
        assertThat(QueueFile.count(db, "SELECT count(*) FROM task_update_outbox WHERE kind = 'activity'"
                + " AND sendable = 1")).isEqualTo(1);
    }

    @Test
    void afterAKill_theRestartedQueueDeliversTheLeftoversOnceInOrder() throws Exception {
        Path db = dir.resolve("queue.db");
        long reported = runAndKill(db, 5_000);
        SystemClock clock = new SystemClock();
        RecordingManagerApi manager = new RecordingManagerApi();

        try (SqliteOutbox outbox = SqliteOutbox.open(new OutboxSettings(db, Duration.ofSeconds(15),
                Duration.ofSeconds(30), 1000, 0), clock);
             Sender sender = new Sender(outbox, manager, new RecordingCredentialsGuard(true), clock,
                     new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)), () -> 0.5, t -> { })) {
            sender.start();
            assertThat(outbox.awaitAllDelivered(Duration.ofSeconds(30))).isTrue();
        }

        List<TaskUpdate> delivered = manager.delivered();
        assertThat(delivered.get(0).snapshot().taskStatus()).isEqualTo(TaskStatus.ACTIVE);
        List<String> lines = delivered.stream().filter(u -> u.log() != null)
                .flatMap(u -> Arrays.stream(u.log().split("\n")))
                .map(l -> l.substring(l.indexOf(": ") + 2)).toList();
        assertThat(lines.size()).isGreaterThanOrEqualTo((int) reported);
        assertThat(lines).isEqualTo(LongStream.range(0, lines.size()).mapToObj(n -> "line " + n).toList());
    }

    /** Runs {@link CaptureLoopMain} until it reported at least {@code lines} committed lines, then kills it. */
    private long runAndKill(Path db, long lines) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                CaptureLoopMain.class.getName(), db.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long reported = 0;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (reported < lines && (line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    reported = Long.parseLong(line.substring("committed ".length()));
                }
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        return reported;
    }
}
