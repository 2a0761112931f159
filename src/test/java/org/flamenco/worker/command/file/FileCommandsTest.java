package org.flamenco.worker.command.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandContext;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.testing.RecordingReporter;
import org.flamenco.worker.testing.TestEnvironments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class FileCommandsTest {
    @TempDir
    Path dir;
    private final RecordingReporter reporter = new RecordingReporter();

    private void run(Command command, Map<String, ?> settings) throws Exception {
        var env = TestEnvironments.in(dir);
        command.prepare(new Settings(settings), env)
                .execute(new CommandContext(command.name(), command.name() + ".(x)", reporter, env));
    }

    private Path file(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    @Test
    void timestampedUsesLocalTimeOfTheRoundedMtime() throws Exception {
        Path p = Files.createDirectory(dir.resolve("existing-dir"));
        Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(1330712292)));

        assertThat(PathNames.timestamped(p, ZoneId.of("Europe/Amsterdam")).getFileName().toString())
                .isEqualTo("existing-dir-2012-03-02_191812");
    }

    @Test
    void uniqueTakesTheLargestTildeNumberPlusOne() throws Exception {
        file("x", "");
        file("x~2", "");
        file("x~4", "");

        assertThat(PathNames.unique(dir.resolve("x")).getFileName().toString()).isEqualTo("x~5");
    }

    @Test
    void moveOutOfWayRenamesToTimestampedSibling() throws Exception {
        Path src = file("render/out.png", "px");
        Files.setLastModifiedTime(src, FileTime.from(Instant.ofEpochSecond(1330712292)));
        String expected = PathNames.timestamped(src, ZoneId.systemDefault()).getFileName().toString();

        run(new MoveOutOfWayCommand(), Map.of("src", src.toString()));

        assertThat(src).doesNotExist();
        assertThat(dir.resolve("render").resolve(expected)).hasContent("px");
        assertThat(reporter.log()).containsExactly("move_out_of_way: Moving " + src + " to " + src.resolveSibling(
                expected));
    }

    @Test
    void moveOutOfWayOfMissingPathSucceeds() throws Exception {
        run(new MoveOutOfWayCommand(), Map.of("src", "nothing-here"));

        assertThat(reporter.log()).containsExactly(
                "move_out_of_way: Render output path nothing-here does not exist, not moving out of way");
    }

    @Test
    void moveOutOfWayValidation() {
        assertThatThrownBy(() -> run(new MoveOutOfWayCommand(), Map.of())).hasMessage("Missing \"src\"");
        assertThatThrownBy(() -> run(new MoveOutOfWayCommand(), Map.of("src", 1))).hasMessage("src must be a string");
    }

    @Test
    void moveToFinalBacksUpExistingDestThenMoves() throws Exception {
        Path src = file("src/frame.png", "new");
        Path dest = file("dest/frame.png", "old").getParent();
        Files.setLastModifiedTime(dest, FileTime.from(Instant.ofEpochSecond(1330712292)));
        Path backup = PathNames.timestamped(dest, ZoneId.systemDefault());

        run(new MoveToFinalCommand(), Map.of("src", src.getParent().toString(), "dest", dest.toString()));

        assertThat(dest.resolve("frame.png")).hasContent("new");
        assertThat(backup.resolve("frame.png")).hasContent("old");
        assertThat(reporter.log()).containsExactly("move_to_final: Moving " + dest + " to " + backup,
                "move_to_final: Moving " + src.getParent() + " to " + dest);
    }

    @Test
    void moveToFinalOfMissingSrcSucceeds() throws Exception {
        run(new MoveToFinalCommand(), Map.of("src", "gone", "dest", "d"));

        assertThat(reporter.log()).containsExactly("move_to_final: Path gone does not exist, not moving");
        assertThatThrownBy(() -> run(new MoveToFinalCommand(), Map.of("src", "a")))
                .hasMessage("Missing \"dest\"");
        assertThatThrownBy(() -> run(new MoveToFinalCommand(), Map.of("src", "a", "dest", 3)))
                .hasMessage("\"dest\" must be a string, not an integer");
    }

    @Test
    void copyFileCopiesBytesAndModeAndAnnouncesDest() throws Exception {
        Path src = file("a.txt", "data");
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rwxr-x---"));
        Path dest = dir.resolve("sub/dir/b.txt");

        run(new CopyFileCommand(), Map.of("src", src.toString(), "dest", dest.toString()));

        assertThat(dest).hasContent("data");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest))).isEqualTo("rwxr-x---");
        assertThat(reporter.outputs()).containsExactly(dest);
        assertThat(reporter.log()).containsExactly("copy_file: Copying " + src + " to " + dest,
                "copy_file: Directory " + dest.getParent() + " does not exist; creating.");
    }

    @Test
    void copyFileReplacesExistingDest() throws Exception {
        Path src = file("a.txt", "new");
        Path dest = file("b.txt", "old");

        run(new CopyFileCommand(), Map.of("src", src.toString(), "dest", dest.toString()));

        assertThat(dest).hasContent("new");
        assertThat(reporter.log()).contains("copy_file: Destination " + dest + " exists, going to delete it first.");
    }

    @Test
    void copyFileFailures() {
        assertThatThrownBy(() -> run(new CopyFileCommand(), Map.of("src", "", "dest", "x")))
                .hasMessage("src may not be empty");
        assertThatThrownBy(() -> run(new CopyFileCommand(), Map.of("src", "x", "dest", "")))
                .hasMessage("dest may not be empty");
        assertThatThrownBy(() -> run(new CopyFileCommand(), Map.of("src", "missing", "dest", "x")))
                .isInstanceOf(CommandFailedException.class).hasMessage("Path missing does not exist, unable to copy");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void removeTreeDeletesDirectoriesWithoutFollowingLinks() throws Exception {
        Path keep = file("keep/important.txt", "keep");
        file("tree/a/b.txt", "x");
        Files.createSymbolicLink(dir.resolve("tree/link"), keep.getParent());

        run(new RemoveTreeCommand(), Map.of("path", dir.resolve("tree").toString()));

        assertThat(dir.resolve("tree")).doesNotExist();
        assertThat(keep).hasContent("keep");
        assertThat(reporter.log()).containsExactly("Removing tree rooted at " + dir.resolve("tree"));
    }

    @Test
    void removeTreeOfMissingPathAndValidation() throws Exception {
        run(new RemoveTreeCommand(), Map.of("path", "nope"));

        assertThat(reporter.log()).containsExactly("Path nope does not exist, so not removing.");
        assertThatThrownBy(() -> run(new RemoveTreeCommand(), Map.of("path", "")))
                .hasMessage("'path' may not be empty");
    }

    @Test
    void removeFileDeletesFilesAndRefusesDirectories() throws Exception {
        Path f = file("f.txt", "x");
        Files.createDirectory(dir.resolve("d"));

        run(new RemoveFileCommand(), Map.of("path", f.toString()));

        assertThat(f).doesNotExist();
        assertThat(reporter.log()).containsExactly("Removing file " + f);
        assertThatThrownBy(() -> run(new RemoveFileCommand(), Map.of("path", dir.resolve("d").toString())))
                .isInstanceOf(CommandFailedException.class).hasMessage("Path " + dir.resolve("d")
                        + " is a directory. Cannot remove with this command; use remove_tree instead.");
        assertThat(dir.resolve("d")).isDirectory();
        assertThatThrownBy(() -> run(new RemoveFileCommand(), Map.of("path", "")))
                .hasMessage("Parameter 'path' cannot be empty.");
    }

    @Test
    void moveWithCounterPicksNextNumberAfterDatePrefix() throws Exception {
        Path src = file("in.mkv", "video");
        file("out/2018_06_12_001-spring.mkv", "");
        file("out/2018_06_12_004-spring.mkv", "");

        run(new MoveWithCounterCommand(), Map.of("src", src.toString(),
                "dest", dir.resolve("out/2018_06_12-spring.mkv").toString()));

        Path target = dir.resolve("out/2018_06_12_005-spring.mkv");
        assertThat(target).hasContent("video");
        assertThat(reporter.outputs()).containsExactly(target);
    }

    @Test
    void moveWithCounterWithoutNumberPrefixUsesStem() throws Exception {
        Path src = file("in.mkv", "video");
        Files.createDirectory(dir.resolve("empty"));

        run(new MoveWithCounterCommand(), Map.of("src", src.toString(),
                "dest", dir.resolve("empty/jemoeder.mkv").toString()));

        assertThat(dir.resolve("empty/jemoeder_001.mkv")).hasContent("video");
    }

    @Test
    void moveWithCounterWithEmptySuffixFindsExistingNumbers() throws Exception {
        Path src = file("in", "x");
        file("out/name_007", "");

        run(new MoveWithCounterCommand(), Map.of("src", src.toString(), "dest", dir.resolve("out/name").toString()));

        assertThat(dir.resolve("out/name_008")).hasContent("x");
    }

    @Test
    void moveWithCounterFailures() {
        assertThatThrownBy(() -> run(new MoveWithCounterCommand(), Map.of("src", "nope", "dest", "x")))
                .hasMessage("Path nope does not exist, unable to move");
        assertThatThrownBy(() -> run(new MoveWithCounterCommand(), Map.of("src", "", "dest", "x")))
                .hasMessage("src may not be empty");
    }

    @Test
    void createPythonFileWritesUtf8AndLogsContents() throws Exception {
        Path p = dir.resolve("scripts/thefile-overrides.py");

        run(new CreatePythonFileCommand(), Map.of("filepath", p.toString(), "contents", "print('hé')\n"));
        run(new CreatePythonFileCommand(), Map.of("filepath", p.toString(), "contents", ""));

        assertThat(p).hasContent("");
        assertThat(reporter.log()).containsSubsequence(
                "create_python_file: Creating Python file " + p, "create_python_file: contents:\nprint('hé')\n",
                "create_python_file: Overwriting Python file " + p, "create_python_file: contents:\n");
    }

    @Test
    void createPythonFileValidation() {
        assertThatThrownBy(() -> run(new CreatePythonFileCommand(), Map.of("filepath", "", "contents", "")))
                .hasMessage("filepath may not be empty");
        assertThatThrownBy(() -> run(new CreatePythonFileCommand(), Map.of("filepath", "x.txt", "contents", "")))
                .hasMessage("filepath must end in .py");
        assertThatThrownBy(() -> run(new CreatePythonFileCommand(), Map.of("filepath", "x.py")))
                .hasMessage("Missing \"contents\"");
    }

    @Test
    void everyFileCommandHasItsWireName() {
        assertThat(FileCommands.v2()).extracting(Command::name).containsExactly("move_out_of_way", "move_to_final",
                "copy_file", "remove_tree", "remove_file", "move_with_counter", "create_python_file");
        assertThat(FileCommands.v3()).extracting(Command::name).containsExactly("move-directory", "copy-file",
                "make-directory");
    }
}
