package org.flamenco.worker.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code worker_id} and {@code worker_secret} to the credentials file (worker-behaviour.md §3): parent
 * directory created with mode 0700; in the {@code [flamenco-worker]} section (appended when missing) the two values
 * are replaced in place or appended; every other line stays byte for byte; the result goes to a temporary file that
 * is created 0600 before anything is written, is synced, and is atomically renamed over the old file. The file is
 * therefore never readable by others, and never half-written.
 *
 * <p>Thread-safe through {@code synchronized}: registrations are rare and the write is short.
 */
public final class CredentialsStore {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialsStore.class);

    /** The section of the Flamenco 3 identity (a UUID and the secret chosen at registration). */
    public static final String V3_SECTION = "flamenco-worker-v3";

    private final Path file;
    private final String section;

    public CredentialsStore(Path file) {
        this(file, WorkerConfigReader.SECTION);
    }

    /**
     * A store for the identity kept in {@code section}: {@link WorkerConfigReader#SECTION} for v2, {@link #V3_SECTION}
     * for v3, so that a v2 ObjectId and a v3 UUID never replace each other.
     */
    public CredentialsStore(Path file, String section) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.section = Objects.requireNonNull(section, "section");
    }

    /**
     * The credentials of this store's section; incomplete (empty id or secret) when the file or the keys are missing.
     *
     * @throws ConfigException the file exists but cannot be read or parsed (the message names the file)
     */
    public Credentials read() throws ConfigException {
        if (!Files.exists(file)) {
            return new Credentials("", Secret.empty());
        }
        Map<String, RawValue> values = IniParser.parse(file).getOrDefault(section, Map.of());
        RawValue id = values.get("worker_id");
        RawValue secret = values.get("worker_secret");
        return new Credentials(id == null ? "" : id.text().strip(),
                Secret.of(secret == null ? "" : secret.text().strip()));
    }

    public Path file() {
        return file;
    }

    /**
     * Stores the credentials. On failure the file is unchanged; the caller logs an ERROR and keeps running with the
     * credentials in memory.
     *
     * @throws IOException naming the path and the reason, never the secret
     */
    public synchronized void write(Credentials credentials) throws IOException {
        Objects.requireNonNull(credentials, "credentials");
        Path dir = file.getParent();
        boolean posix = protection(dir.getFileSystem().supportedFileAttributeViews()) == Protection.POSIX_MODE;
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        byte[] content = CredentialsText.updated(old, section, credentials).getBytes(StandardCharsets.UTF_8);

        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", ownerOnly);
        try {
            if (!posix) {
                restrictToOwner(temp); // before any content is written, as the POSIX mode is
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            moveAtomically(temp);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
        LOG.info("Updated credentials in {} [{}]", file, section);
    }

    private void moveAtomically(Path temp) throws IOException {
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
        }
    }

    /** How the file is kept private on a file store with {@code views} (its supported attribute views). */
    enum Protection {
        /** mode 0600 (directory 0700). */
        POSIX_MODE,
        /** An ACL granting the owner alone full access (Windows, NTFS). */
        OWNER_ACL,
        /** Neither can be set (e.g. FAT): the file is written as the file store allows, with a warning. */
        NONE
    }

    static Protection protection(java.util.Set<String> views) {
        if (views.contains("posix")) {
            return Protection.POSIX_MODE;
        }
        return views.contains("acl") ? Protection.OWNER_ACL : Protection.NONE;
    }

    /** The ACL that replaces the inherited one: {@code owner} alone, with every permission. */
    static List<AclEntry> ownerOnlyAcl(UserPrincipal owner) {
        return List.of(AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(owner)
                .setPermissions(EnumSet.allOf(AclEntryPermission.class)).build());
    }

    /** Windows: an ACL granting the owner alone full access (best effort; worker-behaviour.md §3 step 4). */
    private static void restrictToOwner(Path path) {
        try {
            AclFileAttributeView view = Files.getFileAttributeView(path, AclFileAttributeView.class);
            if (view == null) {
                LOG.warn("Cannot restrict access to {} to its owner: the file store has neither POSIX modes nor"
                        + " ACLs", path);
                return;
            }
            view.setAcl(ownerOnlyAcl(view.getOwner()));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.warn("Cannot restrict access to {} to its owner: {}", path, e.toString());
        }
    }

    /** Makes the rename durable; not possible on every platform, and not needed for correctness there. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("cannot sync directory {}: {}", dir, e.toString());
        }
    }
}
