package org.flamenco.worker.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/** SQLite's native library is copied into the cache once and reused, and a damaged copy is replaced (issue 24). */
class SqliteLibraryCacheTest {
    @TempDir
    Path cache;

    @Test
    void copiesTheLibraryOnceAndReusesIt() throws IOException {
        Path dir = SqliteLibraryCache.prepare(cache).orElseThrow();
        Path lib = dir.resolve(LibraryLoaderUtil.getNativeLibName());
        assertThat(dir).startsWith(cache.resolve("sqlite-" + SQLiteJDBCLoader.getVersion()));
        assertThat(Files.readAllBytes(lib)).isEqualTo(resourceBytes());

        FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(lib, old);
        assertThat(SqliteLibraryCache.prepare(cache)).contains(dir);
        assertThat(Files.getLastModifiedTime(lib)).as("not copied again").isEqualTo(old);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary files left").containsExactly(lib);
        }
    }

    @Test
    void replacesADamagedCopy() throws IOException {
        Path lib = SqliteLibraryCache.prepare(cache).orElseThrow().resolve(LibraryLoaderUtil.getNativeLibName());
        Files.write(lib, new byte[] {1, 2, 3});

        SqliteLibraryCache.prepare(cache);

        assertThat(Files.readAllBytes(lib)).isEqualTo(resourceBytes());
    }

    @Test
    void anUnusableCacheDirectoryIsNoError() throws IOException {
        Path file = Files.writeString(cache.resolve("a-file"), "not a directory");

        assertThat(SqliteLibraryCache.prepare(file)).isEmpty();
    }

    private static byte[] resourceBytes() throws IOException {
        String path = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        }
    }
}
