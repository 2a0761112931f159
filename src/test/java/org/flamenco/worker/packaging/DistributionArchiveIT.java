package org.flamenco.worker.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flamenco.worker.packaging.BuiltArtifacts.TOP_DIR;
import static org.flamenco.worker.packaging.BuiltArtifacts.VERSION;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.flamenco.worker.packaging.ExternalCommand.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The zip and tar.gz distributions: layout, file modes, and that the unpacked install runs. */
@Timeout(120)
class DistributionArchiveIT {
    @TempDir
    static Path unpacked;

    @TempDir
    Path scratch;

    @BeforeAll
    static void unpackTheZip() throws Exception {
        // The system unzip keeps the Unix modes stored in the zip (Java's ZipInputStream would drop them), so this
        // also proves the launcher is executable straight out of the zip. Without unzip, tar keeps modes too.
        List<String> command = ExternalCommand.onPath("unzip")
                ? List.of("unzip", "-q", BuiltArtifacts.zip().toString())
                : List.of("tar", "xzf", BuiltArtifacts.tarball().toString());
        Result result = ExternalCommand.run(command, unpacked, Files.createTempDirectory(unpacked, "log"));
        assertThat(result.exitCode()).as("%s", result).isZero();
    }

    private static Path home() {
        return unpacked.resolve(TOP_DIR);
    }

    @Test
    void zip_containsLaunchersLibrariesConfigServiceFilesAndDocs_underVersionedTopDir() throws IOException {
        List<String> expected = expectedEntries();

        List<String> entries = new ArrayList<>();
        try (ZipFile zip = new ZipFile(BuiltArtifacts.zip().toFile())) {
            Collections.list(zip.entries()).stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName)
                    .forEach(entries::add);
        }

        assertThat(entries).containsAll(expected).allMatch(e -> e.startsWith(TOP_DIR + "/"));
    }

    @Test
    void tarball_hasTheSameFiles_withAnExecutableLauncher() throws Exception {
        List<String> expected = expectedEntries();

        Result listing = ExternalCommand.run(List.of("tar", "tvzf", BuiltArtifacts.tarball().toString()), scratch,
                scratch);

        assertThat(listing.exitCode()).as("%s", listing).isZero();
        List<String> lines = listing.stdout().lines().toList();
        for (String entry : expected) {
            assertThat(lines).as(entry).anyMatch(l -> l.endsWith(" " + entry));
        }
        assertThat(lines).anyMatch(l -> l.startsWith("-rwxr-xr-x")
                && l.endsWith(" " + TOP_DIR + "/bin/flamenco-worker"));
    }

    @Test
    void zip_carriesNoIniLibrary_theConfigurationHasItsOwnReader() throws IOException {
        try (ZipFile zip = new ZipFile(BuiltArtifacts.zip().toFile())) {
            assertThat(Collections.list(zip.entries()).stream().map(ZipEntry::getName))
                    .filteredOn(name -> name.contains("/lib/")).isNotEmpty().noneMatch(name -> name.contains("ini4j"));
        }
    }

    @Test
    void unpackedLauncher_isExecutable_andTheBatchFileUsesCrlf() throws IOException {
        Path launcher = home().resolve("bin/flamenco-worker");
        Path batch = home().resolve("bin/flamenco-worker.bat");

        assertThat(Files.getPosixFilePermissions(launcher)).contains(PosixFilePermission.OWNER_EXECUTE,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        String bat = Files.readString(batch, StandardCharsets.US_ASCII);
        assertThat(bat).contains("\r\n").doesNotContainPattern("[^\r]\n");
        assertThat(Files.readString(launcher, StandardCharsets.US_ASCII)).startsWith("#!/bin/sh\n")
                .doesNotContain("\r");
    }

    @Test
    void unpackedExampleConfig_isTheRepositoryExample() throws IOException {
        Path example = home().resolve("conf/flamenco-worker.cfg.example");

        assertThat(example).hasSameTextualContentAs(BuiltArtifacts.projectDir().resolve("flamenco-worker.cfg.example"));
    }

    @Test
    void version_printsTheBuildVersion_andExits0() throws Exception {
        Result result = ExternalCommand.run(List.of(home().resolve("bin/flamenco-worker").toString(), "--version"),
                scratch, scratch);

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).contains("flamenco-worker").contains(VERSION);
    }

    @Test
    void help_printsUsage_andExits0() throws Exception {
        Result result = ExternalCommand.run(List.of(home().resolve("bin/flamenco-worker").toString(), "--help"),
                scratch, scratch);

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.output()).contains("flamenco-worker");
    }

    @Test
    void runsTheRealJvm_throughASymlinkFromAnotherDirectory() throws Exception {
        // Beside the unpacked install (not in the per-test directory), so that JUnit's cleanup stays inside one tree.
        Path link = unpacked.resolve("usr-bin/flamenco-worker");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, home().resolve("bin/flamenco-worker"));

        Result result = ExternalCommand.run(List.of(link.toString(), "--version"), scratch, scratch);

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).contains(VERSION);
    }

    private static List<String> expectedEntries() throws IOException {
        List<String> expected = new ArrayList<>(List.of("bin/flamenco-worker", "bin/flamenco-worker.bat",
                "lib/flamenco-worker.jar", "conf/flamenco-worker.cfg.example", "README.md", "LICENSE",
                "dist/flamenco-worker.service", "dist/flamenco-worker.init", "dist/flamenco-worker.logrotate",
                "dist/flamenco-worker.cfg"));
        for (String jar : BuiltArtifacts.dependencyJarNames()) {
            expected.add("lib/" + jar);
        }
        return expected.stream().map(e -> TOP_DIR + "/" + e).toList();
    }
}
