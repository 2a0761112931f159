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
    void laterStarts_findTheLibraryThroughThePlatformMarker_withoutAskingSqliteJdbc() throws IOException {
        Path dir = SqliteLibraryCache.prepare(cache).orElseThrow();
        Path versionDir = cache.resolve("sqlite-" + SQLiteJDBCLoader.getVersion());
        Path marker;
        try (var files = Files.list(versionDir)) {
            marker = files.filter(f -> f.getFileName().toString().startsWith("platform-")).findFirst().orElseThrow();
        }
        assertThat(Files.readAllLines(marker)).containsExactly(versionDir.relativize(dir).toString(),
                Long.toString(Files.size(dir.resolve(LibraryLoaderUtil.getNativeLibName()))));

        // a marker naming another directory is believed when the library is there with the noted size
        Path other = Files.createDirectories(versionDir.resolve("Other/arch"));
        Files.write(other.resolve(LibraryLoaderUtil.getNativeLibName()), new byte[] {1, 2, 3});
        Files.writeString(marker, "Other/arch\n3\n");
        assertThat(SqliteLibraryCache.prepare(cache)).contains(other);

        Files.writeString(marker, "../escape\n3\n");
        assertThat(SqliteLibraryCache.prepare(cache)).contains(dir);
        assertThat(Files.readAllLines(marker).get(0)).isEqualTo(versionDir.relativize(dir).toString());
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
