package org.flamenco.worker.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.OptionalInt;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.process.LauncherKind;
import org.flamenco.worker.process.SubprocessPriority;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The launcher check and what the resources check says per launcher. */
@Timeout(60)
@ExtendWith(NoLeakedProcesses.class)
class LauncherCheckTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"auto", "posix", "spawn", "portable"})
    void aTestChildRunsThroughEachLauncherThatWorksOnLinux(String setting) throws Exception {
        CheckResult result = new LauncherCheck(setting, "Linux", dir, new SystemClock()).run();

        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.detail()).startsWith("a test child ran through the ")
                .endsWith("launcher (process_launcher = " + setting + ", Linux)");
    }

    @Test
    void aLauncherThisOsCannotRunFailsWithTheReason() throws Exception {
        CheckResult result = new LauncherCheck("windows", "Linux", dir, new SystemClock()).run();

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.detail()).isEqualTo("process_launcher = windows: windows needs Windows; this is Linux");
    }

    @Test
    void theTestChildIsCmdOnWindowsAndShElsewhere() {
        assertThat(LauncherCheck.probe("Windows 11")).startsWith("cmd.exe", "/d", "/c");
        assertThat(LauncherCheck.probe("Mac OS X")).startsWith("sh", "-c");
    }

    @Test
    void oomAndNiceSettingsWarnWhenRendersDoNotStartThroughPosix() throws Exception {
        SubprocessPriority nice = new SubprocessPriority(OptionalInt.empty(), 10);

        CheckResult result = new ResourcesCheck(nice, dir, new SystemClock(), LauncherKind.SPAWN).run();

        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.detail()).endsWith("oom_score_adjust and subprocess_nice apply with the posix launcher only,"
                + " renders start through the spawn launcher");
    }
}
