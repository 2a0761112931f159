package org.flamenco.worker.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The checks that only look at this machine: tools, pre-task paths, disk space. Real files and processes. */
@Timeout(30)
class LocalChecksTest {
    @TempDir
    Path dir;

    private Path fakeTool(String name, String script) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tool = Files.writeString(bin.resolve(name), "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void toolOnPath_reportsItsVersionLine() throws Exception {
        Path bin = fakeTool("blender", "echo 'Color management: using fallback mode'\necho 'Blender 4.2.3 LTS'\n"
                + "echo '\tbuild date: 2024-10-15'");

        CheckResult r = ToolCheck.blender("/nonexistent:" + bin).run(List.of("blender-render"));

        assertThat(r.status()).isEqualTo(CheckStatus.OK);
        assertThat(r.detail()).isEqualTo(bin.resolve("blender") + ": Blender 4.2.3 LTS");
    }

    @Test
    void ffmpegVersion_isTheFirstLine() throws Exception {
        Path bin = fakeTool("ffmpeg", "echo 'ffmpeg version 6.1.1-3ubuntu5 Copyright (c) 2000-2023'\necho more");

        CheckResult r = ToolCheck.ffmpeg(bin.toString()).run(List.of("sleep"));

        assertThat(r.status()).isEqualTo(CheckStatus.OK);
        assertThat(r.detail()).endsWith(": ffmpeg version 6.1.1-3ubuntu5 Copyright (c) 2000-2023");
    }

    @Test
    void missingToolNeededByATaskType_warnsNamingTheTaskTypes() throws Exception {
        CheckResult r = ToolCheck.ffmpeg(dir.toString()).run(List.of("sleep", "video-encoding"));

        assertThat(r.status()).isEqualTo(CheckStatus.WARN);
        assertThat(r.detail()).contains("not found on PATH", "video-encoding");
        assertThat(r.hint()).contains("install ffmpeg");
    }

    @Test
    void missingToolNotNeededByTheTaskTypes_isOk() throws Exception {
        CheckResult r = ToolCheck.blender(dir.toString()).run(List.of("sleep", "file-management"));

        assertThat(r.status()).isEqualTo(CheckStatus.OK);
        assertThat(r.detail()).contains("not needed");
    }

    @Test
    void toolThatHangs_warnsAfterTheTimeoutAndIsKilled() throws Exception {
        Path bin = fakeTool("blender", "echo $$ > \"$0.pid\"\nexec sleep 60");
        ToolCheck check = new ToolCheck("blender", "--version", List.of("blender-render"), bin.toString(),
                Duration.ofMillis(500));

        CheckResult r = check.run(List.of("blender-render"));

        assertThat(r.status()).isEqualTo(CheckStatus.WARN);
        assertThat(r.detail()).contains("did not finish within");
        long pid = Long.parseLong(Files.readString(bin.resolve("blender.pid")).strip());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void writeCheckOfAnExistingFile_leavesItUnchanged() throws Exception {
        Path file = Files.writeString(dir.resolve("render.log"), "keep me");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));

        CheckResult r = new PreTaskPathsCheck(List.of(file), List.of(file, dir), Duration.ofSeconds(5)).run();

        assertThat(r.status()).isEqualTo(CheckStatus.OK);
        assertThat(Files.readString(file)).isEqualTo("keep me");
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(1_000_000_000_000L);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void everyFailingPathIsListed() throws Exception {
        Path missing = dir.resolve("missing");
        Path noParent = dir.resolve("no/parent/file");

        CheckResult r = new PreTaskPathsCheck(List.of(missing), List.of(noParent), Duration.ofSeconds(5)).run();

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains(missing + " does not exist", noParent + " is not writable");
    }

    @Test
    void windowsStylePath_failsNamingWhy() throws Exception {
        Path drive = dir.resolve("D:\\flamenco\\renders");

        CheckResult r = new PreTaskPathsCheck(List.of(drive), List.of(drive), Duration.ofSeconds(5)).run();

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains(drive + " looks like a Windows path");
    }

    @Test
    void hangingPath_failsWithinTheTimeout() throws Exception {
        Path fifo = dir.resolve("hung-mount");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        try {
            CheckResult r = new PreTaskPathsCheck(List.of(fifo), List.of(), Duration.ofMillis(300)).run();

            assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(r.detail()).contains(fifo + ": check did not finish within");
        } finally {
            try (OutputStream out = Files.newOutputStream(fifo)) { // unblock the reader stuck on the FIFO
                out.write(1);
            }
        }
    }

    @Test
    void diskSpaceThresholds() {
        assertThat(DiskSpaceCheck.classify(2048L * DiskSpaceCheck.MIB)).isEqualTo(CheckStatus.OK);
        assertThat(DiskSpaceCheck.classify(1023L * DiskSpaceCheck.MIB)).isEqualTo(CheckStatus.WARN);
        assertThat(DiskSpaceCheck.classify(99L * DiskSpaceCheck.MIB)).isEqualTo(CheckStatus.FAIL);
        assertThat(DiskSpaceCheck.human(1536L * DiskSpaceCheck.MIB)).isEqualTo("1.5 GiB");
        assertThat(DiskSpaceCheck.human(99L * DiskSpaceCheck.MIB)).isEqualTo("99 MiB");
    }

    @Test
    void diskSpace_measuresAMissingDirectoryAtItsParent() {
        CheckResult r = new DiskSpaceCheck(Map.of("queue", dir.resolve("not/yet"))).run();

        assertThat(r.detail()).startsWith("queue " + dir + ": ").endsWith(" free");
    }
}
