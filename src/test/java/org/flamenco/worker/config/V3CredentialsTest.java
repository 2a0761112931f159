package org.flamenco.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;

/** Flamenco 3 credentials live in their own section, so v2 and v3 identities never replace each other. */
class V3CredentialsTest {
    private static final Credentials V2 = new Credentials("0123456789abcdef01234567", Secret.of("v2-s3cr3t"));
    private static final Credentials V3 = new Credentials("2f0e3c7a-8d1b-4e5f-9a6b-7c8d9e0f1a2b",
            Secret.of("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));

    @TempDir
    Path dir;

    @Test
    void v3IdentityIsWrittenToItsOwnSectionAndLeavesTheV2OneAlone() throws Exception {
        Path file = dir.resolve("creds.cfg");
        new CredentialsStore(file).write(V2);

        new CredentialsStore(file, CredentialsStore.V3_SECTION).write(V3);

        assertThat(Files.readString(file)).isEqualTo("[flamenco-worker]\nworker_id = " + V2.workerId()
                + "\nworker_secret = v2-s3cr3t\n\n[flamenco-worker-v3]\nworker_id = " + V3.workerId()
                + "\nworker_secret = " + V3.secret().reveal() + "\n");
        assertThat(new CredentialsStore(file, CredentialsStore.V3_SECTION).read()).isEqualTo(V3);
        assertThat(new CredentialsStore(file).read()).isEqualTo(V2);
    }

    @Test
    void v3WriteIsOwnerOnly() throws Exception {
        Path file = dir.resolve("sub").resolve("creds.cfg");

        new CredentialsStore(file, CredentialsStore.V3_SECTION).write(V3);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void missingFileOrSectionReadsAsIncomplete() throws Exception {
        Path file = dir.resolve("creds.cfg");
        CredentialsStore v3 = new CredentialsStore(file, CredentialsStore.V3_SECTION);

        assertThat(v3.read().isComplete()).isFalse();
        new CredentialsStore(file).write(V2);
        assertThat(v3.read().isComplete()).isFalse();
    }

    @Test
    void theV3SectionInTheHomeFileIsNoUnknownSectionAndDoesNotBecomeTheV2Identity() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path home = Files.createDirectories(dir.resolve("home"));
        ConfigFiles.write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]");
        new CredentialsStore(home.resolve(".flamenco-worker.cfg"), CredentialsStore.V3_SECTION).write(V3);

        LoadedConfig loaded = new ConfigLoader(work, home).load(Optional.empty());

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.config().credentials().isComplete()).isFalse();
    }
}
