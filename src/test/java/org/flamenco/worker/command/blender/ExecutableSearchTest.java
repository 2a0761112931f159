package org.flamenco.worker.command.blender;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Blender/FFmpeg program search, with the Windows executable suffixes tried on any OS. */
class ExecutableSearchTest {
    @TempDir
    Path dir;

    private Path executable(Path where, String name) throws Exception {
        Path p = Files.createDirectories(where).resolve(name);
        Files.writeString(p, "#!/bin/sh\n");
        assertThat(p.toFile().setExecutable(true)).isTrue();
        return p;
    }

    @Test
    void suffixesComeFromPathextOnWindowsOnly() {
        assertThat(ExecutableSearch.suffixes("Windows 11", ".COM;.EXE;.BAT;.CMD")).containsExactly(".exe", ".com",
                ".bat", ".cmd");
        assertThat(ExecutableSearch.suffixes("Windows Server 2022", "")).containsExactly(".exe", ".bat", ".cmd",
                ".com");
        assertThat(ExecutableSearch.suffixes("Linux", ".EXE")).isEmpty();
        assertThat(ExecutableSearch.suffixes("Mac OS X", "")).isEmpty();
    }

    @Test
    void bareWordFindsTheExeOnThePath() throws Exception {
        Path bin = dir.resolve("bin");
        Path blender = executable(bin, "blender.exe");
        ExecutableSearch search = new ExecutableSearch(dir.resolve("work"), bin.toString(), List.of(".exe", ".bat"));

        assertThat(search.find("blender", true)).contains(blender);
        assertThat(search.find("blender.exe", true)).contains(blender);
        assertThat(search.find("ffmpeg", true)).isEmpty();
    }

    @Test
    void wordWithADirectoryGetsTheSuffixToo() throws Exception {
        Path ffmpeg = executable(dir.resolve("tools"), "ffmpeg.exe");
        ExecutableSearch search = new ExecutableSearch(dir, "", List.of(".exe"));

        assertThat(search.find("tools" + File.separator + "ffmpeg", true)).contains(ffmpeg);
    }

    @Test
    void withoutSuffixesOnlyTheExactNameIsFound() throws Exception {
        Path bin = dir.resolve("bin");
        executable(bin, "blender.exe");
        Path plain = executable(bin, "ffmpeg");
        ExecutableSearch search = new ExecutableSearch(dir, bin.toString(), List.of());

        assertThat(search.find("blender", true)).isEmpty();
        assertThat(search.find("ffmpeg", true)).contains(plain);
    }
}
