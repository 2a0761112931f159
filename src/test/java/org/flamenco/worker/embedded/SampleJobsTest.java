package org.flamenco.worker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SampleJobsTest {
    @TempDir
    Path tmp;

    private static String run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void renderCommand_writesRealPpmFramesWithAProgressLineEach() throws Exception {
        Path out = tmp.resolve("it's a dir");

        String output = run(SampleJobs.renderArgv(out, 3, 0));

        assertThat(output.lines()).containsExactly(
                "Rendered frame 1 of 3 (33%): " + out.resolve("frame-0001.ppm"),
                "Rendered frame 2 of 3 (66%): " + out.resolve("frame-0002.ppm"),
                "Rendered frame 3 of 3 (100%): " + out.resolve("frame-0003.ppm"),
                "Rendered 3 frames into " + out);
        List<String> ppm = Files.readAllLines(out.resolve(SampleJobs.frameName(2)));
        assertThat(ppm.subList(0, 3)).containsExactly("P3", SampleJobs.WIDTH + " " + SampleJobs.HEIGHT, "255");
        assertThat(ppm).hasSize(3 + SampleJobs.WIDTH * SampleJobs.HEIGHT);
        assertThat(ppm.get(3)).isEqualTo("0 0 80");
    }

    @Test
    void commandLine_splitsBackIntoTheSameWords() throws Exception {
        List<String> argv = SampleJobs.renderArgv(tmp.resolve("quote ' and \" and $HOME"), 2, 1);

        String words = run(List.of("sh", "-c", "for w in " + SampleJobs.commandLine(argv)
                + "; do printf '%s\\n--\\n' \"$w\"; done"));

        List<String> split = new ArrayList<>(List.of(words.split("\n--\n", -1)));
        split.remove(split.size() - 1);
        assertThat(split).containsExactlyElementsOf(argv);
    }

    @Test
    void demoJob_usesTheWireNamesAndSettingsOfTheCommandCatalogue() {
        Path out = tmp.resolve("demo");

        List<TaskSpec> job = SampleJobs.demoJob(out, 4, 0, true);

        assertThat(job).extracting(TaskSpec::name)
                .containsExactly(SampleJobs.RENDER_TASK, SampleJobs.FILES_TASK, SampleJobs.VIDEO_TASK);
        assertThat(job).extracting(TaskSpec::taskType)
                .containsExactly("blender-render", "file-management", "video-encoding");
        assertThat(job.get(0).commands()).extracting(c -> c.get("name")).containsExactly("exec");
        assertThat(settings(job.get(0), 0)).containsOnlyKeys("cmd");
        assertThat(job.get(1).parents()).containsExactly(SampleJobs.RENDER_TASK);
        assertThat(job.get(1).commands()).extracting(c -> c.get("name"))
                .containsExactly("copy_file", "copy_file", "move_with_counter");
        assertThat(settings(job.get(1), 0)).containsEntry("src", out.resolve("frame-0001.ppm").toString())
                .containsOnlyKeys("src", "dest");
        assertThat(settings(job.get(1), 1)).containsEntry("src", out.resolve("frame-0004.ppm").toString());
        assertThat(settings(job.get(1), 2)).containsOnlyKeys("src", "dest");
        assertThat(settings(job.get(2), 0)).containsEntry("input_files", out.resolve("frame-*.ppm").toString())
                .containsEntry("output_file", out.resolve("demo.mkv").toString()).containsEntry("fps", 24);
        assertThat(job.get(2).commands()).extracting(c -> c.get("name")).containsExactly("create_video");
    }

    @Test
    void demoJob_withoutVideo_hasTwoTasksAndIsAcceptedByTheManager() {
        List<TaskSpec> job = SampleJobs.demoJob(tmp, 2, 0, false);

        try (EmbeddedManager manager = new EmbeddedManager()) {
            AddedJob added = manager.addJob(SampleJobs.JOB_NAME, job);

            assertThat(added.taskIds()).hasSize(2);
            assertThat(manager.task(added.taskId(SampleJobs.FILES_TASK)).parentIds())
                    .containsExactly(added.taskId(SampleJobs.RENDER_TASK));
        }
    }

    @Test
    void expectedOutputs_namesFramesPublishedFilesAndVideo() {
        Path out = tmp.resolve("demo");

        List<Path> files = SampleJobs.expectedOutputs(out, 2, true);

        assertThat(files).containsExactly(out.resolve("frame-0001.ppm"), out.resolve("frame-0002.ppm"),
                out.resolve("published/first-frame.ppm"), out.resolve("published/last-frame_001.ppm"),
                out.resolve("demo.mkv"));
    }

    @Test
    void ffmpegOnPath_findsAnExecutableInPathDirectories() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(bin.resolve("ffmpeg"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(bin.resolve("ffmpeg"), PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(SampleJobs.ffmpegOnPath(empty + ":" + bin)).isTrue();
        assertThat(SampleJobs.ffmpegOnPath(empty.toString())).isFalse();
        assertThat(SampleJobs.ffmpegOnPath("")).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> settings(TaskSpec task, int index) {
        return (Map<String, Object>) task.commands().get(index).get("settings");
    }
}
