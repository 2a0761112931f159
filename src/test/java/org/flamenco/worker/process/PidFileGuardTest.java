package org.flamenco.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.flamenco.worker.testing.ProcessAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
@ExtendWith(NoLeakedProcesses.class)
class PidFileGuardTest {
    @TempDir
    Path dir;
    private Process sleeper;

    private Path file() {
        return dir.resolve("flamenco-worker-subprocess.pid");
    }

    private PidFileGuard guard() {
        return new PidFileGuard(file(), new SystemClock());
    }

    @AfterEach
    void killSleeper() throws Exception {
        if (sleeper != null) {
            sleeper.destroyForcibly().waitFor();
        }
    }

    @Test
    void absentFilePasses() {
        assertThatCode(() -> guard().check()).doesNotThrowAnyException();
    }

    @Test
    void disabledGuardPassesAndWritesNothing() throws Exception {
        PidFileGuard disabled = PidFileGuard.disabled();

        disabled.check();
        disabled.claim(12345);

        assertThat(disabled.file()).isEmpty();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void liveProcessStartedBeforeTheFileBlocks() throws Exception {
        sleeper = new ProcessBuilder("sleep", "1000").start();
        Files.writeString(file(), Long.toString(sleeper.pid()));

        assertThatThrownBy(() -> guard().check()).isInstanceOf(PidFileException.class)
                .hasMessageMatching("Subprocess from " + java.util.regex.Pattern.quote(file().toString())
                        + " is still running: pid=" + sleeper.pid() + ", .*sleep, started \\d{4}-\\d\\d-\\d\\d .*");
        assertThat(file()).exists();
    }

    @Test
    void deadProcessFileIsDeletedAndPasses() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        Files.writeString(file(), Long.toString(done.pid()));

        guard().check();

        assertThat(file()).doesNotExist();
    }

    @Test
    void reusedPidIsStale() throws Exception {
        sleeper = new ProcessBuilder("sleep", "1000").start();
        Files.writeString(file(), Long.toString(sleeper.pid()));
        Files.setLastModifiedTime(file(), FileTime.from(Instant.now().minus(Duration.ofHours(1))));

        guard().check();

        assertThat(file()).doesNotExist();
    }

    @Test
    void freshEmptyFileBlocks() throws Exception {
        Files.writeString(file(), "");

        assertThatThrownBy(() -> guard().check()).hasMessage("Empty PID file " + file()
                + ", refusing to create new subprocess just to be sure");
    }

    @Test
    void oldEmptyFileIsDeletedAndPasses() throws Exception {
        Files.writeString(file(), "");
        Files.setLastModifiedTime(file(), FileTime.from(Instant.now().minus(Duration.ofSeconds(30))));

        guard().check();

        assertThat(file()).doesNotExist();
    }

    @Test
    void nonNumericFileIsDeletedAndPasses() throws Exception {
        Files.writeString(file(), "not a pid");

        guard().check();

        assertThat(file()).doesNotExist();
    }

    @Test
    void claimWritesThePidWithoutNewline() throws Exception {
        guard().claim(4242);

        assertThat(Files.readString(file())).isEqualTo("4242");
    }

    @Test
    void claimFailsWhenTheFileExistsAndLeavesItUntouched() throws Exception {
        Files.writeString(file(), "777");

        assertThatThrownBy(() -> guard().claim(4242)).hasMessage("PID file " + file() + " already exists");
        assertThat(Files.readString(file())).isEqualTo("777");
    }

    @Test
    void releaseDeletesOnlyItsOwnPid() throws Exception {
        Files.writeString(file(), "777");
        guard().release(4242);
        assertThat(file()).exists();

        guard().release(777);

        assertThat(file()).doesNotExist();
    }

    @Test
    void startupCleanupStopsTheLeftoverGroupAndDeletesTheFile() throws Exception {
        ChildProcess leftover = new PosixProcessLauncher().start(new LaunchRequest(
                List.of("sh", "-c", "sleep 1000 & sleep 1000"), dir));
        org.awaitility.Awaitility.await().until(() -> ProcessAssertions.processGroup(leftover.pid()) == leftover.pid());
        Files.writeString(file(), Long.toString(leftover.pid()));
        Files.setLastModifiedTime(file(), FileTime.from(Instant.now().plusSeconds(2)));

        assertThat(guard().cleanUpLeftover(Duration.ofSeconds(2))).contains(leftover.pid());

        assertThat(ProcessAssertions.isRunning(leftover.pid())).isFalse();
        assertThat(file()).doesNotExist();
    }

    @Test
    void startupCleanupStopsWhatIsLeftOfAGroupWhoseLeaderHasExited() throws Exception {
        // Like a child killed by SIGPIPE when the worker reading its output died: its background child lives on.
        ChildProcess leftover = new PosixProcessLauncher().start(new LaunchRequest(
                List.of("sh", "-c", "sleep 1000 >/dev/null 2>&1 & echo $!"), dir));
        long grandchild = Long.parseLong(new BufferedReader(new InputStreamReader(leftover.output(),
                StandardCharsets.US_ASCII)).readLine().strip());
        try {
            assertThat(leftover.waitFor(Duration.ofSeconds(10))).isPresent();
            assertThat(ProcessAssertions.isRunning(grandchild)).isTrue();
            assertThat(ProcessAssertions.processGroup(grandchild)).isEqualTo(leftover.pid());
            Files.writeString(file(), Long.toString(leftover.pid()));

            assertThat(guard().cleanUpLeftover(Duration.ofSeconds(2))).contains(leftover.pid());

            assertThat(ProcessAssertions.isRunning(grandchild)).isFalse();
            assertThat(file()).doesNotExist();
        } finally {
            ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void startupCleanupLeavesProcessesThatDoNotLeadAGroup() throws Exception {
        sleeper = new ProcessBuilder("sleep", "1000").start(); // in the test JVM's group
        Files.writeString(file(), Long.toString(sleeper.pid()));

        assertThat(guard().cleanUpLeftover(Duration.ofSeconds(1))).isEmpty();

        assertThat(sleeper.isAlive()).isTrue();
    }

    /** The guard as the daemon builds it for {@code kind}. */
    private PidFileGuard guardFor(LauncherKind kind) {
        return new PidFileGuard(file(), new SystemClock(), kind.processGroups());
    }

    private PidFileGuard portableGuard() {
        return new PidFileGuard(file(), new SystemClock(), false);
    }

    @ParameterizedTest
    @EnumSource(value = LauncherKind.class, names = {"PORTABLE", "SPAWN"})
    void treeCleanupStopsTheLeftoverTreeThroughProcessHandles(LauncherKind kind) throws Exception {
        ChildProcess leftover = kind.create(SubprocessPriority.INHERITED).start(new LaunchRequest(
                List.of("sh", "-c", "sleep 1000 >/dev/null 2>&1 & echo $!; sleep 1000"), dir));
        long grandchild = Long.parseLong(new BufferedReader(new InputStreamReader(leftover.output(),
                StandardCharsets.US_ASCII)).readLine().strip());
        try {
            Files.writeString(file(), Long.toString(leftover.pid()));
            Files.setLastModifiedTime(file(), FileTime.from(Instant.now().plusSeconds(2)));

            assertThat(guardFor(kind).cleanUpLeftover(Duration.ofSeconds(2))).contains(leftover.pid());

            assertThat(ProcessAssertions.isRunning(leftover.pid())).isFalse();
            assertThat(ProcessAssertions.isRunning(grandchild)).isFalse();
            assertThat(file()).doesNotExist();
        } finally {
            ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void portableCleanupNeverStopsAProcessStartedAfterTheFileWasWritten() throws Exception {
        sleeper = new ProcessBuilder("sleep", "1000").start(); // as if the pid had been reused since
        Files.writeString(file(), Long.toString(sleeper.pid()));
        Files.setLastModifiedTime(file(), FileTime.from(Instant.now().minusSeconds(3600)));

        assertThat(portableGuard().cleanUpLeftover(Duration.ofSeconds(1))).isEmpty();

        assertThat(sleeper.isAlive()).isTrue();
        assertThat(file()).doesNotExist();
    }

    @Test
    void portableCleanupLeavesTheWorkerItself() throws Exception {
        Files.writeString(file(), Long.toString(ProcessHandle.current().pid()));

        assertThat(portableGuard().cleanUpLeftover(Duration.ofSeconds(1))).isEmpty();

        assertThat(file()).exists();
    }

    @ParameterizedTest
    @EnumSource(value = LauncherKind.class, names = {"PORTABLE", "SPAWN"})
    void treeCleanupStopsRecordedMembersWhoseLeaderDiedWithTheWorker(LauncherKind kind) throws Exception {
        ChildProcess leftover = kind.create(SubprocessPriority.INHERITED).start(new LaunchRequest(
                List.of("sh", "-c", "sleep 1000 >/dev/null 2>&1 & echo $!"), dir));
        long grandchild = Long.parseLong(new BufferedReader(new InputStreamReader(leftover.output(),
                StandardCharsets.US_ASCII)).readLine().strip());
        try {
            PidFileGuard running = guardFor(kind);
            running.claim(leftover.pid());
            running.recordTree(List.of(ProcessHandle.of(grandchild).orElseThrow()));
            assertThat(leftover.waitFor(Duration.ofSeconds(10))).isPresent(); // the leader is gone, as after kill -9

            assertThat(guardFor(kind).cleanUpLeftover(Duration.ofSeconds(2))).contains(leftover.pid());

            assertThat(ProcessAssertions.isRunning(grandchild)).isFalse();
            assertThat(file()).doesNotExist();
            assertThat(dir.resolve(file().getFileName() + ".tree")).doesNotExist();
        } finally {
            ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void portableCleanupLeavesARecordedPidWithAnotherStartInstant() throws Exception {
        sleeper = new ProcessBuilder("sleep", "1000").start();
        long start = sleeper.toHandle().info().startInstant().orElseThrow().toEpochMilli();
        Files.writeString(file(), "999999");
        Files.writeString(dir.resolve(file().getFileName() + ".tree"), sleeper.pid() + " " + (start - 5000) + "\n");

        assertThat(portableGuard().cleanUpLeftover(Duration.ofSeconds(1))).isEmpty();

        assertThat(sleeper.isAlive()).isTrue();
        assertThat(file()).doesNotExist();
    }
}
