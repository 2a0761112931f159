package org.flamenco.worker.command.blender;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's private directory of Blender helper scripts (commands.md §4.5): created with mode 0700 at startup,
 * holding the shipped {@code exr_sequence_to_jpeg.py}, removed by {@link #close()}. Immutable after creation;
 * thread-safe for reading the path.
 */
public final class HelperScripts implements AutoCloseable {
    static final String EXR_TO_JPEG = "exr_sequence_to_jpeg.py";

    private static final Logger LOG = LoggerFactory.getLogger(HelperScripts.class);

    private final Path directory;

    private HelperScripts(Path directory) {
        this.directory = directory;
    }

    /** Creates a new private directory under {@code parent} and writes the helper scripts into it. */
    public static HelperScripts create(Path parent) throws IOException {
        Path dir = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? Files.createTempDirectory(parent, "flamenco-worker-helpers-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                : Files.createTempDirectory(parent, "flamenco-worker-helpers-");
        HelperScripts scripts = new HelperScripts(dir);
        try {
            scripts.write(EXR_TO_JPEG);
        } catch (IOException | RuntimeException e) {
            scripts.close();
            throw e;
        }
        return scripts;
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
        try (Stream<Path> walk = Files.walk(directory)) {
            List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Unable to remove helper script directory {}: {}", directory, e.toString());
        }
    }
}
