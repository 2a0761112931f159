package org.flamenco.worker.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flamenco.worker.packaging.BuiltArtifacts.VERSION;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.flamenco.worker.packaging.ExternalCommand.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb, inspected with dpkg-deb (skipped where dpkg-deb is not installed). Nothing is installed: the maintainer
 * scripts run against a fake root and stubbed account and service tools.
 */
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
        assertThat(lines).anyMatch(l -> l.startsWith("-rwxr-xr-x root/root")
                && l.endsWith(OPT + "bin/flamenco-worker"));
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
    void maintainerScripts_createAndPurgeUserAndState_andAreIdempotent() throws Exception {
        Path control = scratch.resolve("DEBIAN");
        assertThat(dpkgDeb("-e", BuiltArtifacts.deb().toString(), control.toString()).exitCode()).isZero();
        Path root = Files.createDirectories(scratch.resolve("root"));
        Path calls = scratch.resolve("calls.log");
        Map<String, String> env = fakeSystem(root, calls);
        Path stateDir = root.resolve("var/lib/flamenco-worker");

        Result install = runScript(control, "postinst", env, "configure");
        Result reconfigure = runScript(control, "postinst", env, "configure");

        assertThat(install.exitCode()).as("%s", install).isZero();
        assertThat(reconfigure.exitCode()).as("%s", reconfigure).isZero();
        assertThat(Files.getPosixFilePermissions(stateDir)).isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
        List<String> log = Files.readAllLines(calls);
        assertThat(log.stream().filter(l -> l.startsWith("adduser ")))
                .singleElement().asString().contains("--system").endsWith(" flamenco");
        assertThat(log.stream().filter(l -> l.startsWith("addgroup "))).hasSize(1);
        assertThat(log).contains("chown flamenco:flamenco " + stateDir + " " + root.resolve("var/log/flamenco-worker"));

        Result remove = runScript(control, "prerm", env, "remove");
        Result purge = runScript(control, "postrm", env, "purge");
        Result purgeAgain = runScript(control, "postrm", env, "purge");

        assertThat(remove.exitCode()).as("%s", remove).isZero();
        assertThat(purge.exitCode()).as("%s", purge).isZero();
        assertThat(purgeAgain.exitCode()).as("%s", purgeAgain).isZero();
        assertThat(stateDir).doesNotExist();
        log = Files.readAllLines(calls);
        assertThat(log.stream().filter(l -> l.startsWith("deluser "))).singleElement().asString().endsWith(" flamenco");
    }

    /**
     * PATH stubs for the account and service tools, recording their calls; accounts "exist" as marker files.
     * DPKG_ROOT (honoured by the scripts, as dpkg --root sets it) points the file paths into {@code root}.
     */
    private Map<String, String> fakeSystem(Path root, Path calls) throws IOException {
        Path bin = Files.createDirectories(scratch.resolve("stub-bin"));
        Path accounts = Files.createDirectories(scratch.resolve("accounts"));
        String record = "echo \"$(basename \"$0\") $*\" >> '" + calls + "'\n";
        stub(bin, "getent", record + "[ -e '" + accounts + "'/\"$1.$2\" ]\n");
        stub(bin, "addgroup", record + "touch '" + accounts + "'/\"group.$(eval echo \\${$#})\"\n");
        stub(bin, "adduser", record + "touch '" + accounts + "'/\"passwd.$(eval echo \\${$#})\"\n");
        stub(bin, "deluser", record + "rm -f '" + accounts + "'/\"passwd.$(eval echo \\${$#})\"\n");
        stub(bin, "delgroup", record + "rm -f '" + accounts + "'/\"group.$(eval echo \\${$#})\"\n");
        for (String tool : List.of("chown", "systemctl", "invoke-rc.d", "update-rc.d")) {
            stub(bin, tool, record);
        }
        return Map.of("DPKG_ROOT", root.toString(), "PATH", bin + ":/usr/bin:/bin");
    }

    private static void stub(Path bin, String name, String body) throws IOException {
        Path file = Files.writeString(bin.resolve(name), "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Result runScript(Path control, String script, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(control.resolve(script).toString()));
        command.addAll(List.of(args));
        return ExternalCommand.run(command, scratch, env, scratch);
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
