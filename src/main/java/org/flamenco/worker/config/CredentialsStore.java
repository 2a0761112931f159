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
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.flamenco.worker.model.Credentials;
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
    private static final String SECTION = "[" + WorkerConfigReader.SECTION + "]";

    private final Path file;

    public CredentialsStore(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
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
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        byte[] content = updated(old, credentials).getBytes(StandardCharsets.UTF_8);

        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", ownerOnly);
        try {
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
        LOG.info("Updated credentials in {}", file);
    }

    private void moveAtomically(Path temp) throws IOException {
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
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

    /**
     * The new file text: the two keys replaced in place within {@code [flamenco-worker]} (or appended to it), every
     * other line untouched, including its line ending.
     */
    static String updated(String old, Credentials credentials) {
        List<String> lines = splitKeepingEndings(old);
        String newline = old.contains("\r\n") ? "\r\n" : "\n";
        String[] keys = {"worker_id", "worker_secret"};
        String[] values = {credentials.workerId(), credentials.secret().reveal()};
        boolean[] done = new boolean[2];
        int sectionEnd = -1;
        boolean inSection = false;
        for (int i = 0; i < lines.size(); i++) {
            String text = content(lines.get(i));
            String stripped = text.strip();
            boolean indented = !text.isEmpty() && Character.isWhitespace(text.charAt(0));
            if (stripped.startsWith("[") && stripped.lastIndexOf(']') > 1 && !indented) {
                inSection = stripped.equals(SECTION);
                if (inSection) {
                    sectionEnd = i + 1;
                }
                continue;
            }
            if (!inSection || stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
                continue;
            }
            sectionEnd = i + 1;
            int k = indented ? -1 : keyIndex(stripped, keys);
            if (k >= 0 && !done[k]) {
                lines.set(i, keys[k] + " = " + values[k] + ending(lines.get(i)));
                done[k] = true;
            }
        }
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < keys.length; k++) {
            if (!done[k]) {
                missing.add(keys[k] + " = " + values[k] + newline);
            }
        }
        if (missing.isEmpty()) {
            return String.join("", lines);
        }
        if (sectionEnd < 0) {
            if (!lines.isEmpty()) {
                missing.add(0, newline);
            }
            missing.add(lines.isEmpty() ? 0 : 1, SECTION + newline);
            sectionEnd = lines.size();
        }
        if (sectionEnd > 0 && ending(lines.get(sectionEnd - 1)).isEmpty()) {
            lines.set(sectionEnd - 1, lines.get(sectionEnd - 1) + newline); // the old last line had no newline
        }
        lines.addAll(sectionEnd, missing);
        return String.join("", lines);
    }

    /** Index of the key this {@code key = value} line sets, or -1. */
    private static int keyIndex(String stripped, String[] keys) {
        int delimiter = -1;
        for (int i = 0; i < stripped.length() && delimiter < 0; i++) {
            if (stripped.charAt(i) == '=' || stripped.charAt(i) == ':') {
                delimiter = i;
            }
        }
        if (delimiter < 0) {
            return -1;
        }
        String key = stripped.substring(0, delimiter).strip().toLowerCase(Locale.ROOT);
        for (int k = 0; k < keys.length; k++) {
            if (keys[k].equals(key)) {
                return k;
            }
        }
        return -1;
    }

    private static List<String> splitKeepingEndings(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    private static String content(String line) {
        return line.substring(0, line.length() - ending(line).length());
    }

    private static String ending(String line) {
        if (line.endsWith("\r\n")) {
            return "\r\n";
        }
        return line.endsWith("\n") ? "\n" : "";
    }
}
