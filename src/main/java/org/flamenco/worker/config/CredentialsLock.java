package org.flamenco.worker.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * One identity per worker process (worker-behaviour.md §2.2): a running worker holds an exclusive lock on
 * {@code <credentials file>.lock} beside its credentials file until it exits, with its pid written inside. A second
 * worker that would use the same credentials file is refused with one line naming the file and that pid. The lock is
 * the operating system's (released by the kernel when the process dies, also after {@code kill -9}); the file stays.
 *
 * <p>Not thread-safe; one per process, taken before the worker starts and closed when it has shut down.
 */
public final class CredentialsLock implements AutoCloseable {
    static final String SUFFIX = ".lock";

    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;
    private final Optional<String> warning;

    private CredentialsLock(Path lockFile, FileChannel channel, FileLock lock, Optional<String> warning) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
        this.warning = warning;
    }

    /**
     * Takes the lock of {@code credentialsFile}. When the lock file cannot be created (a read-only directory), the
     * worker runs unguarded: the result then only carries a {@link #warning()}.
     *
     * @throws ConfigException another process holds it: {@code Credentials file <file> is in use by another worker
     *                         (pid <pid>) ...}
     */
    public static CredentialsLock acquire(Path credentialsFile) throws ConfigException {
        Path file = credentialsFile.toAbsolutePath().normalize();
        Path lockFile = file.resolveSibling(file.getFileName() + SUFFIX);
        FileChannel channel = null;
        try {
            createParent(lockFile.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = holder(lockFile).map(pid -> "pid " + pid).orElse("pid unknown");
                channel.close();
                throw new ConfigException("Credentials file " + file + " is in use by another worker (" + holder
                        + ", lock " + lockFile + "); give each worker instance its own credentials_file");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
                    0);
            return new CredentialsLock(lockFile, channel, lock, Optional.empty());
        } catch (IOException e) {
            closeQuietly(channel);
            return new CredentialsLock(lockFile, null, null, Optional.of("Cannot lock " + lockFile + " ("
                    + IniParser.reason(e) + "): nothing stops a second worker from using credentials file " + file));
        }
    }

    /** Set when the worker runs without the lock, to be logged once logging is up. */
    public Optional<String> warning() {
        return warning;
    }

    public Path lockFile() {
        return lockFile;
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this very process (an earlier worker run in the same JVM)
        }
    }

    private static Optional<String> holder(Path lockFile) {
        try {
            String text = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
            return text.matches("[0-9]{1,18}") ? Optional.of(text) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void createParent(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was locked through it
            }
        }
    }

    /** Releases the lock (the file stays: removing it would race with a worker that is just taking it). */
    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "CredentialsLock[" + lockFile + (channel == null ? ", not held]" : "]");
    }
}
