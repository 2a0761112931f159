package org.flamenco.worker.command.blender;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** commands.md §4.5. */
class HelperScriptsTest {
    @TempDir
    Path parent;

    @Test
    void create_writesTheExrHelperIntoAPrivateDirectory() throws Exception {
        try (HelperScripts scripts = HelperScripts.create(parent)) {
            assertThat(scripts.directory()).startsWith(parent).isDirectory();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(scripts.directory())))
                    .isEqualTo("rwx------");
            assertThat(Files.readString(scripts.exrSequenceToJpeg()))
                    .contains("--exr-glob", "--output-pattern", "No files found for pattern", "quality = 90");
        }
    }

    @Test
    void close_removesTheDirectory() throws Exception {
        HelperScripts scripts = HelperScripts.create(parent);

        scripts.close();

        assertThat(scripts.directory()).doesNotExist();
        assertThat(parent).isEmptyDirectory();
    }

    /** Makes a helper directory look as if it was created {@code age} ago. */
    private static void age(Path dir, Duration age) throws Exception {
        Files.setLastModifiedTime(dir.resolve(HelperScripts.LOCK_FILE), FileTime.from(Instant.now().minus(age)));
    }

    @Test
    void create_removesTheDirectoryOfAWorkerKilledWithSigkill_butNeverOneOfALiveWorker() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                HelperScriptsHolderMain.class.getName(), parent.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Path childDir;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            childDir = Path.of(out.readLine());
            age(childDir, Duration.ofMinutes(5));

            try (HelperScripts whileAlive = HelperScripts.create(parent)) {
                assertThat(childDir).as("a live worker's directory").isDirectory();
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no cleanup in the child
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(childDir).as("left behind by the killed worker").isDirectory();

        try (HelperScripts next = HelperScripts.create(parent)) {
            assertThat(childDir).as("removed by the next worker").doesNotExist();
            assertThat(next.directory()).isDirectory();
        }
    }

    @Test
    void create_leavesYoungDirectoriesAndDirectoriesWithoutALockFile() throws Exception {
        // What a worker that died leaves: its directory with an unlocked lock file.
        Path dead = Files.createDirectory(parent.resolve(HelperScripts.PREFIX + "1234567"));
        Files.writeString(dead.resolve(HelperScripts.EXR_TO_JPEG), "print('x')");
        Files.createFile(dead.resolve(HelperScripts.LOCK_FILE));
        Path foreign = Files.createDirectory(parent.resolve(HelperScripts.PREFIX + "made-by-someone-else"));
        Files.setLastModifiedTime(foreign, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

        try (HelperScripts next = HelperScripts.create(parent)) {
            assertThat(dead).as("lock file less than a minute old").isDirectory();
            assertThat(foreign).as("no lock file").isDirectory();
        }
        age(dead, Duration.ofMinutes(2));
        try (HelperScripts later = HelperScripts.create(parent)) {
            assertThat(dead).as("abandoned and old enough").doesNotExist();
            assertThat(foreign).isDirectory();
        }
    }
}
