package org.flamenco.worker.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flamenco.worker.packaging.ExternalCommand.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** dist/: the systemd unit, the SysV init script and the service configuration agree with the spec and each other. */
@Timeout(120)
class ServiceFilesIT {
    /** worker-behaviour.md §2.3 default of shutdown_timeout_seconds. */
    private static final int DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 30;
    private static final String LAUNCHER = "/opt/flamenco-worker/bin/flamenco-worker";

    @TempDir
    Path scratch;

    private static Path dist(String name) {
        return BuiltArtifacts.projectDir().resolve("dist").resolve(name);
    }

    private static List<String> unitValues(String key) throws IOException {
        List<String> values = new ArrayList<>();
        for (String line : Files.readAllLines(dist("flamenco-worker.service"))) {
            if (line.startsWith(key + "=")) {
                values.add(line.substring(key.length() + 1).trim());
            }
        }
        return values;
    }

    private static String unitValue(String key) throws IOException {
        assertThat(unitValues(key)).as(key).hasSize(1);
        return unitValues(key).get(0);
    }

    @Test
    void unit_runsTheLauncherAsFlamenco_inTheStateDirectory_withAUtf8Locale() throws IOException {
        assertThat(unitValue("User")).isEqualTo("flamenco");
        assertThat(unitValue("WorkingDirectory")).isEqualTo("/var/lib/flamenco-worker");
        assertThat(unitValue("ExecStart")).isEqualTo(LAUNCHER + " -c /etc/flamenco-worker/flamenco-worker.cfg");
        assertThat(unitValues("Environment")).as("UTF-8 file names under Java 17").contains("LANG=C.UTF-8");
    }

    @Test
    void unit_restartsAfterManagerShutdown_butNotAfterConfigOrRegistrationErrors() throws IOException {
        assertThat(unitValue("Restart")).isEqualTo("always");
        assertThat(unitValue("RestartSec")).isEqualTo("10");
        assertThat(unitValue("RestartPreventExitStatus").split("\\s+")).contains("2", "3").doesNotContain("0");
    }

    @Test
    void unit_stopsWithSigtermToTheWorkerOnly_andOutwaitsItsShutdownDeadline() throws IOException {
        assertThat(unitValue("KillMode")).isEqualTo("mixed");
        assertThat(unitValue("KillSignal")).isEqualTo("SIGTERM");
        int stopTimeout = Integer.parseInt(unitValue("TimeoutStopSec"));
        assertThat(stopTimeout).isGreaterThan(DEFAULT_SHUTDOWN_TIMEOUT_SECONDS)
                .isGreaterThan(configuredShutdownTimeout());
    }

    @Test
    void unit_isNotifiedByTheWorker_withAWatchdog_andNoStartTimeout() throws IOException {
        assertThat(unitValue("Type")).isEqualTo("notify");
        assertThat(unitValue("NotifyAccess")).isEqualTo("main");
        assertThat(unitValue("WatchdogSec")).isEqualTo("10min");
        assertThat(unitValue("TimeoutStartSec")).isEqualTo("infinity");
    }

    @Test
    void unit_isHardened_andMayWriteOnlyItsStateAndLogs() throws IOException {
        assertThat(unitValue("NoNewPrivileges")).isEqualTo("yes");
        assertThat(unitValue("ProtectSystem")).isEqualTo("strict");
        assertThat(unitValue("ProtectHome")).isEqualTo("yes");
        assertThat(unitValue("PrivateTmp")).isEqualTo("yes");
        assertThat(unitValue("ReadWritePaths").split("\\s+")).containsExactlyInAnyOrder("/var/lib/flamenco-worker",
                "/var/log/flamenco-worker");
    }

    @Test
    void unit_passesSystemdAnalyzeVerify() throws Exception {
        assumeTrue(ExternalCommand.onPath("systemd-analyze"), "systemd-analyze is not installed");
        assumeTrue(verifyWorksHere(), "systemd-analyze verify cannot run in this environment");
        // The launcher is not installed at /opt here; verify checks that ExecStart is executable, so point it at
        // the repository's launcher. Nothing else in the unit changes.
        String unit = Files.readString(dist("flamenco-worker.service"), StandardCharsets.UTF_8)
                .replace(LAUNCHER, BuiltArtifacts.projectDir().resolve("packaging/bin/flamenco-worker").toString());
        Path file = Files.writeString(scratch.resolve("flamenco-worker.service"), unit, StandardCharsets.UTF_8);

        Result result = ExternalCommand.run(List.of("systemd-analyze", "verify", file.toString()), scratch, scratch);

        // verify exits 0 even for unknown keys and unparsable values, which it reports (and ignores) on stderr.
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.output()).as("%s", result).doesNotContain("flamenco-worker.service");
    }

    @Test
    void initScript_hasAnLsbHeader_stopsWithTermAndA60SecondRetry_andParses() throws Exception {
        Path script = dist("flamenco-worker.init");
        String text = Files.readString(script, StandardCharsets.UTF_8);

        Result syntax = ExternalCommand.run(List.of("sh", "-n", script.toString()), scratch, scratch);

        assertThat(syntax.exitCode()).as("%s", syntax).isZero();
        assertThat(text).startsWith("#!/bin/sh\n")
                .contains("### BEGIN INIT INFO\n# Provides:          flamenco-worker\n")
                .contains("### END INIT INFO").contains("STOP_TIMEOUT=60")
                .contains("--retry \"TERM/$STOP_TIMEOUT/KILL/5\"")
                .contains("--chuid \"$USER:$GROUP\" --chdir \"$STATE_DIR\"").contains("-- -c \"$CONFIG\"");
    }

    @Test
    void logrotate_rotatesTheFileTheServiceConfigWrites() throws IOException {
        String logrotate = Files.readString(dist("flamenco-worker.logrotate"), StandardCharsets.UTF_8);
        String config = Files.readString(dist("flamenco-worker.cfg"), StandardCharsets.UTF_8);

        assertThat(config).contains("args = ('/var/log/flamenco-worker/flamenco-worker.log'");
        assertThat(logrotate).contains("/var/log/flamenco-worker/*.log {").contains("copytruncate");
    }

    /** A trivially valid unit produces no complaints; otherwise verify does not work in this container. */
    private boolean verifyWorksHere() throws Exception {
        Path probe = Files.writeString(scratch.resolve("probe.service"),
                "[Unit]\nDescription=probe\n[Service]\nExecStart=/bin/true\n", StandardCharsets.UTF_8);
        Result result = ExternalCommand.run(List.of("systemd-analyze", "verify", probe.toString()), scratch, scratch);
        return result.exitCode() == 0 && result.output().isBlank();
    }

    private static int configuredShutdownTimeout() throws IOException {
        Matcher m = Pattern.compile("(?m)^shutdown_timeout_seconds\\s*=\\s*(\\d+)\\s*$")
                .matcher(Files.readString(dist("flamenco-worker.cfg"), StandardCharsets.UTF_8));
        return m.find() ? Integer.parseInt(m.group(1)) : DEFAULT_SHUTDOWN_TIMEOUT_SECONDS;
    }
}
