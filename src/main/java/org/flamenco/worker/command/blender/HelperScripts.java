package org.flamenco.worker.command.blender;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's private directory of Blender helper scripts (commands.md §4.5): created with mode 0700 at startup,
 * holding the shipped {@code exr_sequence_to_jpeg.py}, removed by {@link #close()}. Immutable after creation;
 * thread-safe for reading the path.
 *
 * <p>A worker that is killed ({@code kill -9}, power loss) cannot remove its directory. So that such leftovers do not
 * pile up in the temporary directory, each directory holds a {@value #LOCK_FILE} file that its worker keeps locked
 * while it lives (the operating system drops the lock when the process dies, however it dies), and
 * {@link #create(Path)} removes sibling directories whose lock it can take. A directory of a live worker, in this
 * or another process, container or user, is never touched.
 */
public final class HelperScripts implements AutoCloseable {
    static final String EXR_TO_JPEG = "exr_sequence_to_jpeg.py";
    static final String PREFIX = "flamenco-worker-helpers-";
    static final String LOCK_FILE = ".in-use";
    /** A lock file younger than this is never judged: its worker may be between creating and locking it. */
    static final Duration MIN_LEFTOVER_AGE = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(HelperScripts.class);

    private final Path directory;
    private FileChannel lockChannel;

    private HelperScripts(Path directory) {
        this.directory = directory;
    }

    /** Creates a new private directory under {@code parent} and writes the helper scripts into it. */
    public static HelperScripts create(Path parent) throws IOException {
        Path dir = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? Files.createTempDirectory(parent, PREFIX,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                : Files.createTempDirectory(parent, PREFIX);
        HelperScripts scripts = new HelperScripts(dir);
        try {
            scripts.lock();
            scripts.write(EXR_TO_JPEG);
        } catch (IOException | RuntimeException e) {
            scripts.close();
            throw e;
        }
        removeLeftovers(parent, dir, Files.getLastModifiedTime(dir.resolve(LOCK_FILE)).toInstant());
        return scripts;
    }

    private void lock() throws IOException {
        lockChannel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        if (lockChannel.tryLock() == null) {
            throw new IOException("cannot lock " + directory.resolve(LOCK_FILE));
        }
    }

    /**
     * Removes helper directories under {@code parent} left by workers that died without cleaning up: those whose lock
     * file is {@link #MIN_LEFTOVER_AGE} older than ours and can be locked. Directories without a lock file (not ours,
     * or made by an older version) stay.
     * Failures are logged and skipped.
     */
    static void removeLeftovers(Path parent, Path own, Instant ownLockTime) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path dir : dirs) {
                if (!dir.equals(own) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                        && isAbandoned(dir, ownLockTime.minus(MIN_LEFTOVER_AGE))) {
                    removeTree(dir);
                    LOG.info("Removed helper script directory {} left by a worker that did not stop cleanly", dir);
                }
            }
        } catch (IOException | UncheckedIOException | SecurityException e) {
            LOG.debug("Could not look for leftover helper script directories in {}: {}", parent, e.toString());
        }
    }

    /** {@code before}: file-system time (from our own lock file: no clock of ours is compared with it). */
    private static boolean isAbandoned(Path dir, Instant before) {
        Path lockFile = dir.resolve(LOCK_FILE);
        try {
            if (!Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS) || Files.getLastModifiedTime(lockFile,
                    LinkOption.NOFOLLOW_LINKS).toInstant().isAfter(before)) {
                return false; // not ours, or so new that its worker may not have locked it yet
            }
        } catch (IOException | SecurityException e) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return false; // a live worker in another process holds it
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // a live HelperScripts in this JVM holds it
        } catch (IOException | SecurityException e) {
            return false; // not ours to judge (another user's, or unreadable)
        }
    }

    /** Creates the directory under the system temporary directory. */
    public static HelperScripts create() throws IOException {
        return create(Path.of(System.getProperty("java.io.tmpdir")));
    }

    public Path directory() {
        return directory;
    }

    /** The {@code exr_sequence_to_jpeg} helper (§3.15). */
    public Path exrSequenceToJpeg() {
        return directory.resolve(EXR_TO_JPEG);
    }

    private void write(String name) throws IOException {
        try (InputStream in = HelperScripts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("helper script " + name + " is missing from the worker's distribution");
            }
            Files.write(directory.resolve(name), in.readAllBytes());
        }
    }

    /** Removes the directory and everything in it; a failure is logged, not thrown (this runs at shutdown). */
    @Override
    public void close() {
        try {
            if (lockChannel != null) {
                lockChannel.close(); // releases the lock
            }
            removeTree(directory);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Unable to remove helper script directory {}: {}", directory, e.toString());
        }
    }

    private static void removeTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }
    }
}
