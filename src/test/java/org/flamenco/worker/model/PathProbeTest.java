package org.flamenco.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probes shared by the pre-task check and doctor (worker-behaviour.md §10). */
class PathProbeTest {
    @TempDir
    Path dir;

    @Test
    void createIn_passesAndLeavesNothingBehind() throws Exception {
        assertThat(PathProbe.createIn(dir)).isEmpty();

        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void createIn_aMissingDirectory_saysWhichExceptionRefused() {
        assertThat(PathProbe.createIn(dir.resolve("missing"))).hasValueSatisfying(
                why -> assertThat(why).startsWith("NoSuchFileException: "));
    }

    @Test
    void write_aPathThatDoesNotExistYet_passesAndRemovesItAgain() {
        Path target = dir.resolve("frame.png");

        assertThat(PathProbe.write(target)).isEmpty();

        assertThat(target).doesNotExist();
    }

    @Test
    void read_anEmptyFile_passes() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty"));

        assertThat(PathProbe.read(empty)).isEmpty();
    }
}
