package org.flamenco.worker.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * SQLite's native library taken from a cache directory instead of extracted anew (issue 24). sqlite-jdbc copies its
 * library out of its jar into the temp directory under a new name on every start; with the launcher's cache
 * directory (system property {@value #CACHE_DIR_PROPERTY}) the library is copied once per sqlite-jdbc version and
 * platform into {@code <cache>/sqlite-<version>/<os>/<arch>/} and sqlite-jdbc is told to load it from there
 * ({@code org.sqlite.lib.path}). Without the property, with {@code org.sqlite.lib.path} already set, or when anything
 * fails, sqlite-jdbc is left to extract as before: this is an optimisation, never a reason not to start. Finding the
 * library's platform directory makes sqlite-jdbc run {@code uname -o}; the answer is noted per OS name and
 * architecture ({@code sqlite-<version>/platform-<os>-<arch>}), so later starts start no process.
 */
final class SqliteLibraryCache {
    static final String CACHE_DIR_PROPERTY = "flamenco.worker.cacheDir";
    private static final Logger LOG = LoggerFactory.getLogger(SqliteLibraryCache.class);
    private static boolean installed;

    private SqliteLibraryCache() {
    }

    /** Once per JVM, before the first connection: points sqlite-jdbc at the cached copy (made if needed). */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        String cacheDir = System.getProperty(CACHE_DIR_PROPERTY, "");
        if (cacheDir.isBlank() || System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        prepare(Path.of(cacheDir)).ifPresent(dir -> {
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", LibraryLoaderUtil.getNativeLibName());
        });
    }

    /**
     * The directory under {@code cacheDir} holding this sqlite-jdbc's native library for this platform, copied
     * there (to a temporary name, then renamed) unless a copy of the same size is there already; empty when the
     * jar has no library for this platform or the copy fails.
     */
    static Optional<Path> prepare(Path cacheDir) {
        Path versionDir = cacheDir.resolve("sqlite-" + SQLiteJDBCLoader.getVersion());
        Path marker = versionDir.resolve(("platform-" + System.getProperty("os.name") + "-"
                + System.getProperty("os.arch")).replaceAll("[^A-Za-z0-9._-]", "_"));
        Optional<Path> known = fromMarker(versionDir, marker);
        if (known.isPresent()) {
            return known;
        }
        // sqlite-jdbc's platform detection runs `uname -o` (a process) on Linux: once per version, then the marker
        String resourceDir = LibraryLoaderUtil.getNativeLibResourcePath();
        String name = LibraryLoaderUtil.getNativeLibName();
        URL resource = SQLiteJDBCLoader.class.getResource(resourceDir + "/" + name);
        if (resource == null) {
            return Optional.empty();
        }
        String platformDir = resourceDir.replaceFirst("^/org/sqlite/native/", "");
        Path dir = versionDir.resolve(platformDir);
        Path lib = dir.resolve(name);
        try {
            URLConnection connection = resource.openConnection();
            long size = connection.getContentLengthLong();
            if (size >= 0 && Files.isRegularFile(lib) && Files.size(lib) == size) {
                writeMarker(marker, platformDir, size);
                return Optional.of(dir);
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            writeMarker(marker, platformDir, size);
            return Optional.of(dir);
        } catch (IOException | RuntimeException e) {
            LOG.debug("SQLite library not cached in {} ({}); sqlite-jdbc extracts it itself", dir, e.toString());
            return Optional.empty();
        }
    }

    /**
     * The library's directory as an earlier start found it for this OS and architecture (marker: the platform
     * directory and the library's size), when the library is still there with that size; empty otherwise.
     */
    private static Optional<Path> fromMarker(Path versionDir, Path marker) {
        try {
            List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
            if (lines.size() != 2 || lines.get(0).contains("..")) {
                return Optional.empty();
            }
            Path dir = versionDir.resolve(lines.get(0));
            Path lib = dir.resolve(LibraryLoaderUtil.getNativeLibName());
            return Files.isRegularFile(lib) && Files.size(lib) == Long.parseLong(lines.get(1)) ? Optional.of(dir)
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Writes the marker (to a temporary name, then renamed); a failure only means the next start asks again. */
    private static void writeMarker(Path marker, String platformDir, long size) {
        if (size < 0) {
            return;
        }
        try {
            Path tmp = Files.createTempFile(marker.getParent(), marker.getFileName().toString(), ".tmp");
            try {
                Files.writeString(tmp, platformDir + "\n" + size + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("SQLite library's platform not noted in {}: {}", marker, e.toString());
        }
    }
}
