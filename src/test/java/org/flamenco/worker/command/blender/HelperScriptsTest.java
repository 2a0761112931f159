package org.flamenco.worker.command.blender;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** commands.md §4.5. */
class HelperScriptsTest {
    @TempDir
    Path parent;

    @Test
    void create_writesTheExrHelperIntoAPrivateDirectory() throws Exception {
        try (HelperScripts scripts = HelperScripts.create(parent)) {
            assertThat(scripts.directory()).startsWith(parent).isDirectory();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(scripts.directory())))
                    .isEqualTo("rwx------");
            assertThat(Files.readString(scripts.exrSequenceToJpeg()))
                    .contains("--exr-glob", "--output-pattern", "No files found for pattern", "quality = 90");
        }
    }

    @Test
    void close_removesTheDirectory() throws Exception {
        HelperScripts scripts = HelperScripts.create(parent);

        scripts.close();

        assertThat(scripts.directory()).doesNotExist();
        assertThat(parent).isEmptyDirectory();
    }
}
