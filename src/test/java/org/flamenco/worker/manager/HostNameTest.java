package org.flamenco.worker.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.flamenco.worker.model.Secret;

/** Secret, platform and default nickname of a registration (protocol-v2.md §4.1). */
class HostNameTest {
    @TempDir
    Path dir;

    @Test
    void secret_is64AlphanumericCharactersAndDifferentEachTime() {
        SecretGenerator generator = new SecretGenerator(new SecureRandom());
        Set<String> seen = new HashSet<>();

        for (int i = 0; i < 50; i++) {
            Secret s = generator.next();
            assertThat(s.reveal()).matches("[A-Za-z0-9]{64}");
            seen.add(s.reveal());
        }

        assertThat(seen).hasSize(50);
    }

    @Test
    void secret_printsMasked() {
        assertThat(new SecretGenerator().next()).hasToString("***");
    }

    @Test
    void platform_mapsTheThreeKnownSystems() {
        assertThat(Platform.fromOsName("Linux")).isEqualTo(new Platform("linux", true));
        assertThat(Platform.fromOsName("Windows 11")).isEqualTo(new Platform("windows", true));
        assertThat(Platform.fromOsName("Mac OS X")).isEqualTo(new Platform("darwin", true));
    }

    @Test
    void platform_unknownSystem_sendsLowerCasedNameWithoutSpacesAndIsFlagged() {
        assertThat(Platform.fromOsName("FreeBSD")).isEqualTo(new Platform("freebsd", false));
        assertThat(Platform.fromOsName("Sun OS")).isEqualTo(new Platform("sunos", false));
    }

    @Test
    void platform_current_isKnownOnThisMachine() {
        assertThat(Platform.current().wireName()).isNotBlank().doesNotContain(" ");
    }

    @Test
    void nickname_prefersTheHostnameVariable() {
        String name = HostName.hostName(Map.of("HOSTNAME", " node-01 "), dir.resolve("none"),
                () -> Optional.of("from-uname"));

        assertThat(name).isEqualTo("node-01");
    }

    @Test
    void nickname_fallsBackToEtcHostnameThenUname() throws Exception {
        Path etc = Files.writeString(dir.resolve("hostname"), "# comment\nrender-07\n");

        assertThat(HostName.hostName(Map.of(), etc, () -> Optional.of("from-uname"))).isEqualTo("render-07");
        assertThat(HostName.hostName(Map.of(), dir.resolve("none"), () -> Optional.of("from-uname")))
                .isEqualTo("from-uname");
    }

    @Test
    void nickname_lastResorts_areComputerNameThenLocalhost() {
        assertThat(HostName.hostName(Map.of("COMPUTERNAME", "WIN-PC"), dir.resolve("none"), Optional::empty))
                .isEqualTo("WIN-PC");
        assertThat(HostName.hostName(Map.of(), dir.resolve("none"), Optional::empty)).isEqualTo("localhost");
    }

    @Test
    void defaultNickname_isNotBlankOnThisMachine() {
        assertThat(HostName.defaultNickname()).isNotBlank();
    }
}
