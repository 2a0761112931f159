package org.flamenco.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class PreTaskCheckTest {
    @TempDir
    Path dir;

    @Test
    void passesForReadableAndWritableDirectoriesAndLeavesNothingBehind() throws Exception {
        try (PreTaskCheck check = new PreTaskCheck(List.of(dir), List.of(dir), Duration.ofSeconds(5))) {
            assertThat(check.run()).isEmpty();
        }

        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void writeCheckOfAnExistingFileDoesNotModifyIt() throws Exception {
        Path file = Files.writeString(dir.resolve("render.log"), "keep me");

        try (PreTaskCheck check = new PreTaskCheck(List.of(), List.of(file), Duration.ofSeconds(5))) {
            assertThat(check.run()).isEmpty();
        }

        assertThat(Files.readString(file)).isEqualTo("keep me");
    }

    @Test
    void windowsStyleWritePath_failsWithThatReason_althoughItCouldBeCreatedHere() throws Exception {
        Path share = dir.resolve("\\\\server\\share\\x"); // as the config resolves "\\server\share\x" on Linux

        try (PreTaskCheck check = new PreTaskCheck(List.of(), List.of(share), Duration.ofSeconds(5))) {
            assertThat(check.run()).contains(share + " looks like a Windows path (drive letter or \\\\server share); "
                    + "on this system it is a file name in the working directory, not that location");
        }
    }

    @Test
    void missingReadPathFails() throws Exception {
        Path missing = dir.resolve("nope");

        try (PreTaskCheck check = new PreTaskCheck(List.of(missing), List.of(), Duration.ofSeconds(5))) {
            assertThat(check.run()).contains(missing + " does not exist");
        }
    }

    @Test
    void writeIntoMissingParentFails() throws Exception {
        Path target = dir.resolve("no/such/parent/file");

        try (PreTaskCheck check = new PreTaskCheck(List.of(), List.of(target), Duration.ofSeconds(5))) {
            assertThat(check.run()).contains(target + " is not writable");
        }
    }

    @Test
    void aHangingPathFailsWithinTheTimeoutAndAgainAtOnceWhileStillHanging() throws Exception {
        Path fifo = dir.resolve("hung-mount");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();

        try (PreTaskCheck check = new PreTaskCheck(List.of(fifo), List.of(), Duration.ofMillis(300))) {
            assertThat(check.run()).hasValueSatisfying(m -> assertThat(m).contains("check did not finish within"));
            assertThat(check.run()).hasValueSatisfying(m -> assertThat(m).contains("has not finished yet"));
        } finally {
            // Unblock the reader stuck on the FIFO so its thread ends.
            try (var out = Files.newOutputStream(fifo)) {
                out.write(1);
            }
        }
    }
}
