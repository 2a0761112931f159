package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

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
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                CaptureLoopMain.class.getName(), db.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long reported = 0;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (reported < 20_000 && (line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    reported = Long.parseLong(line.substring("committed ".length()));
                }
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }

        List<String> stored = QueueFile.column(db, "SELECT substr(payload, instr(payload, ': ') + 2)"
                + " FROM task_update_outbox WHERE kind = 'log' ORDER BY seq");

        assertThat(reported).isGreaterThanOrEqualTo(20_000);
        assertThat(stored.size()).isGreaterThanOrEqualTo((int) reported);
        assertThat(stored).isEqualTo(LongStream.range(0, stored.size()).mapToObj(n -> "line " + n).toList());
        assertThat(QueueFile.count(db, "SELECT count(*) FROM task_update_outbox WHERE kind = 'activity'"
                + " AND sendable = 1")).isEqualTo(1);
    }
}
