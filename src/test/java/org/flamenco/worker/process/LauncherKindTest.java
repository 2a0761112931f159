package org.flamenco.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which launcher runs where: pure decision logic, the same on every OS (native libraries are given, not probed). */
class LauncherKindTest {
    private static final Predicate<LauncherKind> EVERYTHING_LOADS = kind -> true;
    private static final Predicate<LauncherKind> NOTHING_NATIVE_LOADS = kind -> kind == LauncherKind.PORTABLE
            || kind == LauncherKind.POSIX;

    @ParameterizedTest
    @CsvSource({
        "auto,     Linux,      POSIX",
        "auto,     Mac OS X,   SPAWN",
        "auto,     Windows 11, WINDOWS",
        "auto,     FreeBSD,    PORTABLE",
        "AUTO,     linux,      POSIX",
        "portable, Linux,      PORTABLE",
        "portable, Windows 10, PORTABLE",
        "posix,    Linux,      POSIX",
        "spawn,    Linux,      SPAWN",
        "spawn,    Mac OS X,   SPAWN",
        "spawn,    FreeBSD,    SPAWN",
        "windows,  Windows 10, WINDOWS",
    })
    void selectsByOsName(String setting, String os, LauncherKind expected) {
        assertThat(LauncherKind.select(setting, os, EVERYTHING_LOADS)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "auto,    Linux,      POSIX",
        "auto,    Mac OS X,   PORTABLE",
        "auto,    Windows 11, PORTABLE",
        "spawn,   Mac OS X,   PORTABLE",
        "windows, Windows 11, PORTABLE",
    })
    void fallsBackToPortableWhenTheNativeLibraryDoesNotLoad(String setting, String os, LauncherKind expected) {
        assertThat(LauncherKind.select(setting, os, NOTHING_NATIVE_LOADS)).isEqualTo(expected);
    }

    @Test
    void launchersAreRefusedOnTheWrongOs() {
        assertThatThrownBy(() -> LauncherKind.select("posix", "Mac OS X", EVERYTHING_LOADS))
                .hasMessage("posix needs Linux (setsid and /proc); this is Mac OS X");
        assertThatThrownBy(() -> LauncherKind.select("windows", "Linux", EVERYTHING_LOADS))
                .hasMessage("windows needs Windows; this is Linux");
        assertThatThrownBy(() -> LauncherKind.select("spawn", "Windows 11", EVERYTHING_LOADS))
                .hasMessage("spawn needs a POSIX system; this is Windows 11");
        assertThatThrownBy(() -> LauncherKind.select("jobobject", "Windows 11", EVERYTHING_LOADS))
                .hasMessage("expected auto, posix, spawn, windows or portable");
    }

    @Test
    void onThisLinuxMachineSpawnLoadsAndWindowsDoesNot() {
        assertThat(LauncherKind.SPAWN.loads()).isTrue();
        assertThat(LauncherKind.WINDOWS.loads()).isFalse();
        assertThat(LauncherKind.select("auto", "Mac OS X")).isEqualTo(LauncherKind.SPAWN);
        assertThat(LauncherKind.select("auto", "Windows 11")).isEqualTo(LauncherKind.PORTABLE);
    }

    @Test
    void onlyPosixFindsLeftoversThroughSessionsAndEachKindMakesItsLauncher() {
        assertThat(LauncherKind.POSIX.processGroups()).isTrue();
        assertThat(LauncherKind.PORTABLE.processGroups()).isFalse();
        assertThat(LauncherKind.SPAWN.processGroups()).isFalse();
        assertThat(LauncherKind.WINDOWS.processGroups()).isFalse();
        assertThat(LauncherKind.POSIX.create(SubprocessPriority.INHERITED)).isInstanceOf(PosixProcessLauncher.class);
        assertThat(LauncherKind.PORTABLE.create(SubprocessPriority.INHERITED))
                .isInstanceOf(PortableProcessLauncher.class);
        assertThat(LauncherKind.SPAWN.create(SubprocessPriority.INHERITED)).isInstanceOf(SpawnProcessLauncher.class);
        assertThatThrownBy(() -> LauncherKind.WINDOWS.create(SubprocessPriority.INHERITED))
                .hasMessage("kernel32 does not load through jnr-ffi");
    }
}
