package org.flamenco.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Windows launcher's own logic, on any OS: the order of the native calls, program search with PATH and PATHEXT,
 * batch files, the environment, and how TERM, KILL and liveness map to the job. The native calls themselves
 * ({@link JnrKernel32}) cannot run here.
 */
@Timeout(30)
class WindowsProcessLauncherTest {
    private static final Map<String, String> ENV = Map.of(
            "Path", "C:\\Windows\\System32;\"C:\\Program Files\\Blender Foundation\\Blender 4.2\"",
            "PATHEXT", ".COM;.EXE;.BAT;.CMD",
            "ComSpec", "C:\\Windows\\system32\\cmd.exe",
            "LD_LIBRARY_PATH", "/opt/x",
            "FLAMENCO_SECRET", "s",
            "SystemRoot", "C:\\Windows");
    private static final Set<String> FILES = Set.of(
            "C:\\Program Files\\Blender Foundation\\Blender 4.2\\blender.exe",
            "C:\\Windows\\System32\\where.exe",
            "D:\\jobs\\shot 1\\tools\\render.cmd",
            "\\\\farm\\tools\\ffmpeg.exe");

    private final RecordingWindowsApi api = new RecordingWindowsApi();
    private final WindowsProcessLauncher launcher = new WindowsProcessLauncher(api, ENV, FILES::contains);

    private ChildProcess start(String... argv) throws IOException {
        return launcher.start(new LaunchRequest(List.of(argv), Path.of("D:\\jobs\\shot 1"), Set.of("FLAMENCO_SECRET")));
    }

    @Test
    void childIsCreatedSuspendedPutInItsJobAndOnlyThenResumed() throws Exception {
        ChildProcess child = start("blender", "-b", "shot 1.blend");

        assertThat(child.pid()).isEqualTo(4242);
        assertThat(api.calls).containsExactly("createSuspended", "createKillOnCloseJob", "assignToJob 14 11",
                "resume 12", "close 12");
        assertThat(api.application).isEqualTo("C:\\Program Files\\Blender Foundation\\Blender 4.2\\blender.exe");
        assertThat(api.commandLine).isEqualTo(
                "\"C:\\Program Files\\Blender Foundation\\Blender 4.2\\blender.exe\" -b \"shot 1.blend\"");
        api.exit(0);
    }

    @Test
    void environmentLeavesOutLdLibraryPathAndTheRemovedNames() throws Exception {
        start("where");

        assertThat(api.environmentBlock).isEqualTo("ComSpec=C:\\Windows\\system32\\cmd.exe\0"
                + "Path=C:\\Windows\\System32;\"C:\\Program Files\\Blender Foundation\\Blender 4.2\"\0"
                + "PATHEXT=.COM;.EXE;.BAT;.CMD\0SystemRoot=C:\\Windows\0\0");
        api.exit(0);
    }

    @Test
    void programsWithADirectoryPartAreFoundAgainstTheWorkingDirectoryOrAsDriveAndUncPaths() {
        assertThat(launcher.find("tools\\render", "D:\\jobs\\shot 1")).contains("D:\\jobs\\shot 1\\tools\\render.cmd");
        assertThat(launcher.find("tools/render.cmd", "D:/jobs/shot 1")).contains("D:\\jobs\\shot 1\\tools\\render.cmd");
        assertThat(launcher.find("//farm/tools/ffmpeg", "D:\\jobs")).contains("\\\\farm\\tools\\ffmpeg.exe");
        assertThat(launcher.find("\\\\farm\\tools\\ffmpeg", "D:\\jobs")).contains("\\\\farm\\tools\\ffmpeg.exe");
        assertThat(launcher.find("C:\\Windows\\System32\\where.exe", "D:\\jobs"))
                .contains("C:\\Windows\\System32\\where.exe");
        assertThat(launcher.find("render", "D:\\jobs\\shot 1")).isEmpty(); // bare names: PATH only
    }

    @Test
    void batchFileRunsThroughComSpec() throws Exception {
        start("tools\\render.cmd", "frame 1");

        assertThat(api.application).isEqualTo("C:\\Windows\\system32\\cmd.exe");
        assertThat(api.commandLine).isEqualTo("C:\\Windows\\system32\\cmd.exe /d /s /c \"\"D:\\jobs\\shot 1\\tools\\"
                + "render.cmd\" \"frame 1\"\"");
        api.exit(0);
    }

    @Test
    void missingProgramNamesItAndNothingIsCreated() {
        assertThatThrownBy(() -> start("blender-4.9"))
                .isInstanceOf(IOException.class)
                .hasMessage("Cannot run program \"blender-4.9\": not found on PATH with the PATHEXT suffixes");
        assertThat(api.calls).isEmpty();
    }

    @Test
    void childThatCannotJoinAJobIsEndedAndTheErrorSaysWhatToDo() {
        api.failAssign = true;

        assertThatThrownBy(() -> start("where"))
                .isInstanceOf(IOException.class)
                .hasMessage("Cannot run program \"where\" in a Job Object (AssignProcessToJobObject failed with"
                        + " Windows error 5); process_launcher = portable runs it without one");
        assertThat(api.calls).containsExactly("createSuspended", "createKillOnCloseJob", "assignToJob 14 11",
                "close 14", "close 12", "close 11", "close 13");
    }

    @Test
    void termIsCtrlBreakToTheGroupKillTerminatesTheJob() throws Exception {
        ChildProcess child = start("where");
        api.calls.clear();

        child.signalGroup(ExitStatus.SIGTERM);
        child.signalGroup(ExitStatus.SIGKILL);
        child.signalGroup(2);

        assertThat(api.calls).containsExactly("ctrlBreak 4242", "terminateJob 14 137");
        api.exit(0);
    }

    @Test
    void groupLivesWhileTheJobHasProcessesAndHandlesAreClosedOnceItIsEmpty() throws Exception {
        ChildProcess child = start("where");
        assertThat(child.groupAlive()).isTrue();

        api.exit(3);
        assertThat(child.waitFor(Duration.ofSeconds(5))).contains(new ExitStatus(3, 0));
        assertThat(child.groupAlive()).isTrue(); // a grandchild is still in the job
        api.active = 0;

        await().until(() -> !child.groupAlive());
        assertThat(api.calls).endsWith("close 14", "close 11");
        child.signalGroup(ExitStatus.SIGKILL);
        assertThat(api.calls).doesNotContain("terminateJob 14 137");
        assertThat(child.output().read()).isEqualTo(-1);
    }
}
