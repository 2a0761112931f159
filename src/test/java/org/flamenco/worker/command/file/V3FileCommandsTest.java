package org.flamenco.worker.command.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandContext;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.testing.RecordingReporter;
import org.flamenco.worker.testing.TestEnvironments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Flamenco 3's {@code move-directory}, {@code copy-file} and {@code make-directory} (commands.md §7). */
@Timeout(30)
class V3FileCommandsTest {
    @TempDir
    Path dir;
    private final RecordingReporter reporter = new RecordingReporter();

    private void run(Command command, Map<String, ?> parameters) throws Exception {
        var env = TestEnvironments.in(dir);
        command.prepare(new Settings(parameters), env)
                .execute(new CommandContext(command.name(), command.name() + ".(x)", reporter, env));
    }

    @Test
    void moveDirectory_movesExistingDestAsideWithMtimeThenNumbers() throws Exception {
        Path src = Files.createDirectories(dir.resolve("render-tmp"));
        Files.writeString(src.resolve("f.png"), "new");
        Path dest = Files.createDirectories(dir.resolve("render"));
        Files.setLastModifiedTime(dest, FileTime.from(Instant.ofEpochSecond(1330712292)));
        Path stamped = PathNames.timestamped(dest, ZoneId.systemDefault());
        Files.createDirectories(stamped);

        run(new MoveDirectoryCommand(), Map.of("src", src.toString(), "dest", dest.toString()));

        assertThat(Files.readString(dest.resolve("f.png"))).isEqualTo("new");
        assertThat(stamped.resolveSibling(stamped.getFileName() + "-001")).isDirectory();
        assertThat(src).doesNotExist();
    }

    @Test
    void moveDirectory_missingSource_fails() {
        assertThatThrownBy(() -> run(new MoveDirectoryCommand(), Map.of("src", dir.resolve("nope").toString(),
                "dest", dir.resolve("d").toString()))).isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void copyFile_copiesAndCreatesTheDirectory() throws Exception {
        Path src = Files.writeString(dir.resolve("a.txt"), "bytes");
        Path dest = dir.resolve("sub/dir/b.txt");

        run(new CopyFileV3Command(), Map.of("src", src.toString(), "dest", dest.toString()));

        assertThat(dest).hasContent("bytes");
    }

    @Test
    void copyFile_refusesExistingDestAndNonRegularSource() throws Exception {
        Path src = Files.writeString(dir.resolve("a.txt"), "bytes");
        Path dest = Files.writeString(dir.resolve("b.txt"), "keep");

        assertThatThrownBy(() -> run(new CopyFileV3Command(), Map.of("src", src.toString(), "dest",
                dest.toString()))).hasMessageContaining("already exists");
        assertThatThrownBy(() -> run(new CopyFileV3Command(), Map.of("src", dir.toString(), "dest",
                dir.resolve("c").toString()))).hasMessageContaining("not a regular file");
        assertThat(dest).hasContent("keep");
    }

    @Test
    void copyFile_relativePath_isInvalid() {
        assertThatThrownBy(() -> run(new CopyFileV3Command(), Map.of("src", "a.txt", "dest", "/tmp/b")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("\"src\" must be an absolute path, not a.txt");
    }

    @Test
    void makeDirectory_createsParents_andAcceptsExisting() throws Exception {
        Path target = dir.resolve("x/y/z");

        run(new MakeDirectoryCommand(), Map.of("path", target.toString()));
        run(new MakeDirectoryCommand(), Map.of("path", target.toString()));

        assertThat(target).isDirectory();
    }

    @Test
    void makeDirectory_overAFile_failsAndEmptyPathIsInvalid() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> run(new MakeDirectoryCommand(), Map.of("path", file.toString())))
                .isInstanceOf(CommandFailedException.class);
        assertThatThrownBy(() -> run(new MakeDirectoryCommand(), Map.of("path", "")))
                .hasMessage("\"path\" may not be empty (a path)");
    }
}
