package org.flamenco.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;

import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsStoreTest {
    private static final Credentials NEW = new Credentials("0123456789abcdef01234567", Secret.of("n3w-s3cr3t"));

    @TempDir
    Path dir;

    @Test
    void replacesValuesInPlaceAndKeepsEveryOtherLineByteForByte() throws Exception {
        Path file = dir.resolve("creds.cfg");
        String before = "# my notes\n\n[other]\nworker_id = not-this-one\n\n[flamenco-worker]\n"
                + "; the id:\nworker_id = aaaaaaaaaaaaaaaaaaaaaaaa\nmanager_url =   http://m/   \n"
                + "Worker_Secret: old\n\n# trailing comment\n";
        Files.writeString(file, before);

        new CredentialsStore(file).write(NEW);

        assertThat(Files.readString(file)).isEqualTo("# my notes\n\n[other]\nworker_id = not-this-one\n\n"
                + "[flamenco-worker]\n; the id:\nworker_id = 0123456789abcdef01234567\nmanager_url =   http://m/   \n"
                + "worker_secret = n3w-s3cr3t\n\n# trailing comment\n");
    }

    @Test
    void appendsMissingKeysAtTheEndOfTheSection() throws Exception {
        Path file = dir.resolve("creds.cfg");
        Files.writeString(file, "[flamenco-worker]\nmanager_url = http://m/\n\n[pre_task_check]\nread.0 = /x\n");

        new CredentialsStore(file).write(NEW);

        assertThat(Files.readString(file)).isEqualTo("[flamenco-worker]\nmanager_url = http://m/\n"
                + "worker_id = 0123456789abcdef01234567\nworker_secret = n3w-s3cr3t\n\n"
                + "[pre_task_check]\nread.0 = /x\n");
    }

    @Test
    void addsTheSectionAtTheEndWhenMissing() throws Exception {
        Path file = dir.resolve("creds.cfg");
        Files.writeString(file, "[other]\r\nkey = value");

        new CredentialsStore(file).write(NEW);

        assertThat(Files.readString(file)).isEqualTo("[other]\r\nkey = value\r\n\r\n[flamenco-worker]\r\n"
                + "worker_id = 0123456789abcdef01234567\r\nworker_secret = n3w-s3cr3t\r\n");
    }

    @Test
    void createsAMissingFileAndParentDirectoryOwnerOnly() throws Exception {
        Path file = dir.resolve("state/sub/creds.cfg");

        new CredentialsStore(file).write(NEW);

        assertThat(Files.readString(file)).isEqualTo(
                "[flamenco-worker]\nworker_id = 0123456789abcdef01234567\nworker_secret = n3w-s3cr3t\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void replacesAWorldReadableFileAtomicallyWithAnOwnerOnlyOne() throws Exception {
        Path file = dir.resolve("creds.cfg");
        Files.writeString(file, "[flamenco-worker]\nworker_secret = old\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Object oldInode = Files.readAttributes(file, BasicFileAttributes.class).fileKey();

        new CredentialsStore(file).write(NEW);

        assertThat(Files.readAttributes(file, BasicFileAttributes.class).fileKey()).isNotEqualTo(oldInode);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void writtenCredentialsAreReadBackByTheLoader() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path home = Files.createDirectories(dir.resolve("home"));
        ConfigFiles.write(work.resolve("flamenco-worker.cfg"), "[flamenco-worker]");
        new CredentialsStore(home.resolve(".flamenco-worker.cfg")).write(NEW);

        LoadedConfig loaded = new ConfigLoader(work, home).load(Optional.empty());

        assertThat(loaded.config().credentials()).isEqualTo(NEW);
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void keepsNonAsciiTextIntact() throws Exception {
        Path file = dir.resolve("creds.cfg");
        Files.writeString(file, "# Fünf Ψ ♥\n[flamenco-worker]\nworker_nickname = Zoë\n", StandardCharsets.UTF_8);

        new CredentialsStore(file).write(NEW);

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).startsWith(
                "# Fünf Ψ ♥\n[flamenco-worker]\nworker_nickname = Zoë\nworker_id = ");
    }

    @Test
    void posixModeWhereSupportedOwnerOnlyAclOnWindowsFileStores() {
        assertThat(CredentialsStore.protection(java.util.Set.of("basic", "owner", "posix", "unix")))
                .isEqualTo(CredentialsStore.Protection.POSIX_MODE);
        assertThat(CredentialsStore.protection(java.util.Set.of("basic", "owner", "dos", "acl", "user")))
                .isEqualTo(CredentialsStore.Protection.OWNER_ACL);
        assertThat(CredentialsStore.protection(java.util.Set.of("basic", "dos")))
                .isEqualTo(CredentialsStore.Protection.NONE);
    }

    @Test
    void ownerOnlyAclGrantsTheOwnerAloneEverything() throws Exception {
        java.nio.file.attribute.UserPrincipal me = dir.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));

        var acl = CredentialsStore.ownerOnlyAcl(me);

        assertThat(acl).singleElement().satisfies(e -> {
            assertThat(e.principal()).isEqualTo(me);
            assertThat(e.type()).isEqualTo(java.nio.file.attribute.AclEntryType.ALLOW);
            assertThat(e.permissions()).containsAll(java.util.EnumSet.allOf(
                    java.nio.file.attribute.AclEntryPermission.class));
        });
    }
}
