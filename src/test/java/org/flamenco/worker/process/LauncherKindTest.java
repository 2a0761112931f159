package org.flamenco.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which launcher runs where: pure decision logic, the same on every OS. */
class LauncherKindTest {
    @ParameterizedTest
    @CsvSource({
        "auto,     Linux,      POSIX",
        "auto,     Mac OS X,   PORTABLE",
        "auto,     Windows 11, PORTABLE",
        "auto,     FreeBSD,    PORTABLE",
        "AUTO,     linux,      POSIX",
        "portable, Linux,      PORTABLE",
        "portable, Windows 10, PORTABLE",
        "posix,    Linux,      POSIX",
    })
    void selectsByOsName(String setting, String os, LauncherKind expected) {
        assertThat(LauncherKind.select(setting, os)).isEqualTo(expected);
    }

    @Test
    void posixIsRefusedWhereThereIsNoSetsidOrProc() {
        assertThatThrownBy(() -> LauncherKind.select("posix", "Mac OS X"))
                .hasMessage("posix needs Linux (setsid and /proc); this is Mac OS X");
        assertThatThrownBy(() -> LauncherKind.select("jobobject", "Windows 11"))
                .hasMessage("expected auto, posix or portable");
    }

    @Test
    void onlyPosixHasProcessGroupsAndEachKindMakesItsLauncher() {
        assertThat(LauncherKind.POSIX.processGroups()).isTrue();
        assertThat(LauncherKind.PORTABLE.processGroups()).isFalse();
        assertThat(LauncherKind.POSIX.create(SubprocessPriority.INHERITED)).isInstanceOf(PosixProcessLauncher.class);
        assertThat(LauncherKind.PORTABLE.create(SubprocessPriority.INHERITED))
                .isInstanceOf(PortableProcessLauncher.class);
    }
}
