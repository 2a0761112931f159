package org.flamenco.worker.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * fails, sqlite-jdbc is left to extract as before: this is an optimisation, never a reason not to start.
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
        String resourceDir = LibraryLoaderUtil.getNativeLibResourcePath();
        String name = LibraryLoaderUtil.getNativeLibName();
        URL resource = SQLiteJDBCLoader.class.getResource(resourceDir + "/" + name);
        if (resource == null) {
            return Optional.empty();
        }
        Path dir = cacheDir.resolve("sqlite-" + SQLiteJDBCLoader.getVersion()).resolve(resourceDir.replaceFirst(
                "^/org/sqlite/native/", ""));
        Path lib = dir.resolve(name);
        try {
            URLConnection connection = resource.openConnection();
            long size = connection.getContentLengthLong();
            if (size >= 0 && Files.isRegularFile(lib) && Files.size(lib) == size) {
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
            return Optional.of(dir);
        } catch (IOException | RuntimeException e) {
            LOG.debug("SQLite library not cached in {} ({}); sqlite-jdbc extracts it itself", dir, e.toString());
            return Optional.empty();
        }
    }
}
