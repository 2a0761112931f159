package org.flamenco.worker.command.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcatIndexTest {
    @TempDir
    Path dir;

    @Test
    void write_listsMatchingFileNamesSortedWithQuotesEscaped() throws Exception {
        Path frames = Files.createDirectories(dir.resolve("frames"));
        for (String name : new String[] {"b.mkv", "a.mkv", "it's.mkv", "notes.txt"}) {
            Files.writeString(frames.resolve(name), "x");
        }

        Path index = ConcatIndex.write(frames + "/*.mkv", dir);

        assertThat(index).isEqualTo(frames.resolve("ffmpeg-input.txt"));
        assertThat(Files.readString(index)).isEqualTo("file 'a.mkv'\nfile 'b.mkv'\nfile 'it\\'s.mkv'\n");
    }

    @Test
    void relativeGlob_isResolvedAgainstTheWorkingDirectory() throws Exception {
        Files.createDirectories(dir.resolve("v"));
        Files.writeString(dir.resolve("v/one.mkv"), "x");

        assertThat(ConcatIndex.matchingFiles("v/*.mkv", dir)).containsExactly(dir.resolve("v/one.mkv"));
    }
}
