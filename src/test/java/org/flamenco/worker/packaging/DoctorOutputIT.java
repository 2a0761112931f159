package org.flamenco.worker.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.flamenco.worker.packaging.ExternalCommand.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code doctor} as a process (issue 26 item 7): the table is all it prints, also when a check logs on the way
 * (here the removal of a stale PID file), and an existing queue database is left without {@code -wal}/{@code -shm}.
 */
@Timeout(120)
class DoctorOutputIT {
    @TempDir
    Path dir;

    @Test
    void aCheckThatLogs_printsNoStrayLine_andTheQueueIsLeftAsItWas() throws Exception {
        Files.writeString(dir.resolve("flamenco-worker.cfg"), "[flamenco-worker]\n"
                + "manager_url = http://127.0.0.1:9/\ncredentials_file = creds.cfg\n");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(dir.resolve("flamenco-worker-subprocess.pid"), Long.toString(gone.pid()));
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("flamenco-worker.db"));
             var st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            st.execute("CREATE TABLE task_update_outbox (seq INTEGER PRIMARY KEY, payload TEXT)");
        }

        Result doctor = ExternalCommand.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", BuiltArtifacts.targetDir().resolve("flamenco-worker.jar").toString(), "doctor"),
                dir, Map.of("HOME", dir.toString()), Files.createTempDirectory(dir, "doctor"));

        assertThat(doctor.stdout()).contains("subprocess-pid-file").contains("queue");
        assertThat(doctor.stdout().lines()).allMatch(l -> l.matches("(ok|warn|FAIL)\\s+\\S+\\s.*"));
        assertThat(doctor.stderr()).isEmpty();
        assertThat(dir.resolve("flamenco-worker.db-wal")).doesNotExist();
        assertThat(dir.resolve("flamenco-worker.db-shm")).doesNotExist();
    }
}
