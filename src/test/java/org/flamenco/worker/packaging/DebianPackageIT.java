package org.flamenco.worker.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flamenco.worker.packaging.BuiltArtifacts.VERSION;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.flamenco.worker.packaging.ExternalCommand.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The .deb, inspected with dpkg-deb (skipped where dpkg-deb is not installed). Nothing is installed. */
@Timeout(120)
class DebianPackageIT {
    private static final String OPT = "./opt/flamenco-worker/";

    @TempDir
    Path scratch;

    @BeforeAll
    static void needsDpkgDeb() {
        assumeTrue(ExternalCommand.onPath("dpkg-deb"),
                "dpkg-deb is not installed; the .deb is not inspected");
    }

    @Test
    void fileName_andControl_carryTheDebianFormOfTheProjectVersion() throws Exception {
        String expectedVersion = VERSION.replace('-', '~');

        Result control = dpkgDeb("-f", BuiltArtifacts.deb().toString());

        assertThat(control.exitCode()).as("%s", control).isZero();
        String version = field(control, "Version");
        assertThat(version).isEqualToIgnoringCase(expectedVersion).doesNotContain("-");
        assertThat(BuiltArtifacts.deb().getFileName().toString()).isEqualTo("flamenco-worker_" + version + "_all.deb");
        assertThat(field(control, "Package")).isEqualTo("flamenco-worker");
        assertThat(field(control, "Architecture")).isEqualTo("all");
        assertThat(field(control, "Depends")).contains("adduser").contains("java17-runtime-headless");
    }

    @Test
    void contents_putTheProgramUnderOpt_withLauncherSymlinkConfigUnitAndStateDir() throws Exception {
        Result listing = dpkgDeb("-c", BuiltArtifacts.deb().toString());

        assertThat(listing.exitCode()).as("%s", listing).isZero();
        List<String> lines = listing.stdout().lines().toList();
        assertThat(lines).anyMatch(l -> l.startsWith("-rwxr-xr-x root/root") && l.endsWith(OPT + "bin/flamenco-worker"));
        assertThat(lines).anyMatch(l -> l.startsWith("l")
                && l.endsWith("./usr/bin/flamenco-worker -> /opt/flamenco-worker/bin/flamenco-worker"));
        assertThat(lines).anyMatch(l -> l.endsWith(OPT + "lib/flamenco-worker.jar"));
        for (String jar : BuiltArtifacts.dependencyJarNames()) {
            assertThat(lines).anyMatch(l -> l.endsWith(OPT + "lib/" + jar));
        }
        assertThat(lines).anyMatch(l -> l.endsWith(" ./etc/flamenco-worker/flamenco-worker.cfg"));
        assertThat(lines).anyMatch(l -> l.endsWith(" ./lib/systemd/system/flamenco-worker.service"));
        assertThat(lines).anyMatch(l -> l.startsWith("-rwxr-xr-x") && l.endsWith(" ./etc/init.d/flamenco-worker"));
        assertThat(lines).anyMatch(l -> l.endsWith(" ./etc/logrotate.d/flamenco-worker"));
        assertThat(lines).anyMatch(l -> l.startsWith("drwxr-x---") && l.endsWith(" ./var/lib/flamenco-worker/"));
    }

    @Test
    void conffiles_listTheEtcFiles_soUpgradesKeepLocalEdits() throws Exception {
        Result conffiles = dpkgDeb("-I", BuiltArtifacts.deb().toString(), "conffiles");

        assertThat(conffiles.exitCode()).as("%s", conffiles).isZero();
        assertThat(conffiles.stdout().lines().toList()).containsExactlyInAnyOrder(
                "/etc/flamenco-worker/flamenco-worker.cfg", "/etc/init.d/flamenco-worker",
                "/etc/logrotate.d/flamenco-worker");
    }

    @Test
    void maintainerScripts_arePosixShWithSetE_andParse() throws Exception {
        Path control = scratch.resolve("DEBIAN");

        Result extract = dpkgDeb("-e", BuiltArtifacts.deb().toString(), control.toString());

        assertThat(extract.exitCode()).as("%s", extract).isZero();
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path file = control.resolve(script);
            assertThat(file).as(script).isExecutable();
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(text).as(script).startsWith("#!/bin/sh\n").contains("\nset -e\n").doesNotContain("[[");
            Result syntax = ExternalCommand.run(List.of("sh", "-n", file.toString()), scratch, scratch);
            assertThat(syntax.exitCode()).as("sh -n %s: %s", script, syntax).isZero();
        }
        assertThat(Files.readString(control.resolve("postinst"), StandardCharsets.UTF_8))
                .contains("adduser --quiet --system").contains("chown \"$USER:$USER\" \"$STATE_DIR\"");
        assertThat(Files.readString(control.resolve("postrm"), StandardCharsets.UTF_8))
                .contains("purge)").contains("rm -rf \"$STATE_DIR\"").contains("deluser");
    }

    @Test
    void etcConfig_discoversTheManager_andKeepsAllStateInVarLib() throws Exception {
        Path root = scratch.resolve("root");

        Result extract = dpkgDeb("-x", BuiltArtifacts.deb().toString(), root.toString());

        assertThat(extract.exitCode()).as("%s", extract).isZero();
        List<String> lines = Files.readAllLines(root.resolve("etc/flamenco-worker/flamenco-worker.cfg"));
        assertThat(lines).contains("manager_url =",
                "credentials_file = /var/lib/flamenco-worker/credentials.cfg",
                "task_update_queue_db = /var/lib/flamenco-worker/flamenco-worker.db",
                "subprocess_pid_file = /var/lib/flamenco-worker/subprocess.pid");
    }

    @Test
    void extractedPackage_runsTheWorker() throws Exception {
        Path root = scratch.resolve("root");
        Result extract = dpkgDeb("-x", BuiltArtifacts.deb().toString(), root.toString());
        assertThat(extract.exitCode()).as("%s", extract).isZero();

        Result version = ExternalCommand.run(List.of(root.resolve("opt/flamenco-worker/bin/flamenco-worker").toString(),
                "--version"), scratch, scratch);

        assertThat(version.exitCode()).as("%s", version).isZero();
        assertThat(version.stdout()).contains(VERSION);
    }

    private Result dpkgDeb(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("dpkg-deb"));
        command.addAll(List.of(args));
        return ExternalCommand.run(command, scratch, scratch);
    }

    private static String field(Result control, String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        return control.stdout().lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(prefix))
                .map(l -> l.substring(prefix.length()).trim()).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + control));
    }
}
