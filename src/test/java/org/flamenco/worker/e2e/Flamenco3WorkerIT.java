package org.flamenco.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.flamenco.worker.embedded.CannedReply;
import org.flamenco.worker.embedded.EmbeddedV3Manager;
import org.flamenco.worker.embedded.RecordedRequest;
import org.flamenco.worker.embedded.V3TaskSpec;
import org.flamenco.worker.embedded.V3TaskView;
import org.flamenco.worker.testing.WorkerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged worker with {@code manager_protocol = v3} against the embedded Flamenco 3 Manager, whose strict
 * validation answers 400 to any request the real Manager's OpenAPI document rejects (protocol-v3.md §11): every
 * test also checks that no request got a 400. Jobs are queued before the worker starts (a 204 means 20 s until the
 * next fetch).
 */
@Timeout(120)
class Flamenco3WorkerIT {
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    Path dir;
    private EmbeddedV3Manager manager;
    private WorkerProcess worker;

    @BeforeEach
    void startManager() throws Exception {
        manager = new EmbeddedV3Manager().start();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (worker != null) {
            worker.close();
        }
        manager.close();
    }

    private WorkerProcess startWorker(Map<String, String> extra) throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("manager_protocol", "v3");
        keys.put("task_types", "blender ffmpeg file-management misc");
        keys.putAll(extra);
        worker = WorkerProcess.configure(dir, manager.url().toString(), keys).start();
        return worker;
    }

    private static Map<String, Object> sh(String script, int steps) {
        return V3TaskSpec.command("exec", Map.of("exe", "/bin/sh", "args", List.of("-c", script)), steps);
    }

    @SafeVarargs
    private String addTask(String name, Map<String, Object>... commands) {
        return manager.addJob("job-" + name, List.of(new V3TaskSpec(name, "misc", List.of(commands)))).taskId(name);
    }

    private void assertEveryRequestWasValid() {
        List<String> refused = manager.requests().stream().filter(r -> r.status() == 400 || r.status() == 405)
                .map(r -> r.line() + " " + r.body()).toList();
        assertThat(refused).as("requests the Flamenco 3 Manager refuses").isEmpty();
        assertThat(manager.requests()).allSatisfy(r -> assertThat(r.path()).startsWith("/api/v3/"));
    }

    private String summary() {
        StringBuilder sb = new StringBuilder("requests:");
        for (RecordedRequest r : manager.requests()) {
            sb.append("\n  ").append(r.time()).append(' ').append(r.line()).append(" -> ").append(r.status())
                    .append(' ').append(r.body().length() > 120 ? r.body().substring(0, 120) : r.body());
        }
        return sb.toString();
    }

    private List<String> logLinesOf(String taskId) {
        List<String> lines = new ArrayList<>();
        for (String l : manager.task(taskId).logLines()) {
            int i = l.indexOf(" > ");
            if (i >= 0) {
                lines.add(l.substring(i + 3));
            }
        }
        return lines;
    }

    @Test
    void happyPath_stepsAndPreview_thenSigtermSignsOffAndExitsZero() throws Exception {
        Path png = dir.resolve("frame-0001.png");
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        Map<String, Object> render = new LinkedHashMap<>();
        render.put("exe", "/bin/sh");
        render.put("exeArgs", "");
        render.put("argsBefore", List.of());
        render.put("blendfile", "");
        render.put("args", List.of("-c", "echo \"Saved: '" + png + "'\"; echo ' Time: 00:00.50 (Saving: 00:00.01)'"));
        String id = manager.addJob("render", List.of(new V3TaskSpec("t", "blender", List.of(
                V3TaskSpec.command("echo", Map.of("message", "hello v3")),
                V3TaskSpec.command("blender-render", render, 2))))).taskId("t");

        startWorker(Map.of());

        V3TaskView done = manager.awaitTaskStatus(id, "completed", WAIT);
        assertThat(done.stepsCompleted()).isEqualTo(3);
        assertThat(done.log()).contains("echo: \"hello v3\"");
        assertThat(done.updates().get(0)).containsEntry("taskStatus", "active").containsEntry("activity", "Started");
        assertThat(done.activity()).isEqualTo("Completed");
        manager.awaitCondition("a preview", () -> !manager.previews().isEmpty(), WAIT);
        EmbeddedV3Manager.Preview preview = manager.previews().get(0);
        assertThat(preview.contentType()).isEqualTo("image/jpeg");
        assertThat(ImageIO.read(new ByteArrayInputStream(preview.image())).getWidth()).isEqualTo(40);
        worker.signal("TERM");
        assertThat(worker.awaitExit(WAIT)).hasValue(0);
        assertThat(manager.signOffs()).hasSize(1);
        assertEveryRequestWasValid();
    }

    @Test
    void failedCommand_reportsFailedNeverSoftFailed() throws Exception {
        String id = addTask("t", sh("echo before; exit 3", 0), sh("echo never", 0));

        startWorker(Map.of());

        V3TaskView t = manager.awaitTaskStatus(id, "failed", WAIT);
        assertThat(t.activity()).startsWith("Failed: exec.(task_id=" + id + ", command_idx=0)");
        assertThat(t.log()).contains("Failed: exec.").doesNotContain("never");
        assertThat(manager.requests("POST", "/api/v3/worker/task/")).noneMatch(r -> r.body().contains("soft"));
        assertEveryRequestWasValid();
    }

    @Test
    void offlineRequest_signsOffAndExitsZero_restartRequest_exitsWithRestartCode() throws Exception {
        startWorker(Map.of("restart_exit_code", "42"));
        String workerId = manager.awaitWorker(w -> "awake".equals(w.status()), WAIT).id();
        assertThat(manager.worker(workerId).orElseThrow().canRestart()).isTrue();

        manager.requestStatusChange(workerId, "restart", false);

        assertThat(worker.awaitExit(WAIT)).hasValue(42);
        assertThat(manager.signOffs()).hasSize(1);
        manager.requestStatusChange(workerId, "offline", false);
        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of("manager_protocol", "v3",
                "task_types", "misc", "restart_exit_code", "42")).start();
        assertThat(worker.awaitExit(WAIT)).hasValue(0);
        assertThat(manager.signOffs()).hasSize(2);
        assertThat(manager.workers()).hasSize(1);
        assertEveryRequestWasValid();
    }

    @Test
    void conflictOnUpdate_taskReassigned_stopsTheTaskAndItsProcessTree() throws Exception {
        String marker = "fw-v3-it-" + System.nanoTime();
        // The marker is in the shell's own command line; `sleep` is not its last command, so the shell stays (it may
        // replace itself with a last command, and the marker would vanish with it).
        String id = addTask("t", sh("echo started; sleep 300; echo " + marker, 0));
        startWorker(Map.of());
        // (the task log's "Executing … echo started" line comes before the shell exists: wait for the shell)
        await().atMost(WAIT).until(() -> !WorkerProcess.pidsWithArgument(marker).isEmpty());

        manager.reassignTask(id);

        await().atMost(WAIT).until(() -> WorkerProcess.pidsWithArgument(marker).isEmpty());
        assertThat(manager.task(id).status()).isEqualTo("active");
        assertThat(worker.isAlive()).isTrue();
        assertEveryRequestWasValid();
    }

    @Test
    void taskDeletedOnTheManager_the404OnItsNextUpdateStopsItsProcessTreeWithinSeconds() throws Exception {
        String marker = "fw-v3-it-" + System.nanoTime();
        // Output every 0.2 s, flushed every second: an update follows the deletion at once. The next may-i-run is
        // 10 s after the start, so only the update's 404 can stop the task within the few seconds allowed.
        String id = addTask("t", sh("echo started; i=0; while [ $i -lt 1000 ]; do echo tick-$i; sleep 0.2; "
                + "i=$((i+1)); done; echo " + marker, 0));
        startWorker(Map.of("push_log_max_interval_seconds", "1", "push_act_max_interval_seconds", "1"));
        // (the task log's "Executing … echo started" line comes before the shell exists: wait for the shell)
        await().atMost(WAIT).until(() -> !WorkerProcess.pidsWithArgument(marker).isEmpty());

        manager.deleteTask(id);

        // Timed from the 404 (the next flush, about a second later; later on a loaded machine), not the deletion.
        manager.awaitRequest(r -> r.path().equals("/api/v3/worker/task/" + id) && r.status() == 404, WAIT);
        await().atMost(Duration.ofSeconds(6)).until(() -> WorkerProcess.pidsWithArgument(marker).isEmpty());
        assertThat(worker.isAlive()).isTrue();
        assertEveryRequestWasValid();
    }

    @Test
    void outageMidTask_everyLineArrivesOnceAndInOrder() throws Exception {
        String id = addTask("t", sh("i=1; while [ $i -le 30 ]; do echo line-$i; sleep 0.2; i=$((i+1)); done", 0));
        startWorker(Map.of());
        manager.awaitTask(id, t -> t.log().contains("line-3"), WAIT);

        manager.stop();
        int deliveredBeforeOutage = logLinesOf(id).size();
        await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
        manager.restart();

        manager.awaitTaskStatus(id, "completed", WAIT);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            expected.add("line-" + i);
        }
        List<String> received = logLinesOf(id);
        // As in v2: the update in flight when the Manager vanished may be re-sent once (its answer was lost,
        // worker-behaviour.md §13.5); everything produced after it arrives exactly once, in order, and the task ran
        // once.
        assertThat(received.stream().distinct().toList()).as(summary()).containsExactlyElementsOf(expected);
        assertThat(received.subList(received.size() - (30 - deliveredBeforeOutage), received.size())).as(summary())
                .containsExactlyElementsOf(expected.subList(deliveredBeforeOutage, 30));
        assertThat(received.size() - 30).as(summary()).isLessThanOrEqualTo(deliveredBeforeOutage);
        assertThat(manager.task(id).logLines().stream().filter(l -> l.contains("exec: Starting")).count())
                .isEqualTo(1);
        assertEveryRequestWasValid();
    }

    @Test
    void serviceUnavailableStorm_honoursRetryAfter_thenRunsTheTask() throws Exception {
        String id = addTask("t", sh("echo ok", 0));
        manager.answerNext(3, "/api/v3/worker/task$", CannedReply.text(503, "database busy")
                .withHeader("Retry-After", "2"));

        startWorker(Map.of());

        manager.awaitCondition("the task completed; " + summary(), () -> manager.taskStatus(id).equals("completed"),
                Duration.ofSeconds(90));
        List<RecordedRequest> fetches = manager.requests("POST", "/api/v3/worker/task");
        List<RecordedRequest> busy = fetches.stream().filter(r -> r.path().equals("/api/v3/worker/task")).toList();
        for (int i = 1; i < 4; i++) {
            assertThat(Duration.between(busy.get(i - 1).time(), busy.get(i).time()))
                    .as("fetch %d after a 503 with Retry-After: 2", i).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        }
        assertEveryRequestWasValid();
    }

    @Test
    void killNineMidTask_andRestart_deliversTheQueueBeforeFetchingAndFinishesTheTask() throws Exception {
        String id = addTask("t", sh("i=1; while [ $i -le 20 ]; do echo line-$i; sleep 0.2; i=$((i+1)); done", 0));
        startWorker(Map.of());
        manager.awaitTask(id, t -> t.log().contains("line-5"), WAIT);

        worker.signal("KILL");
        worker.awaitExit(WAIT);
        long before = manager.requests().size();
        startWorker(Map.of());

        manager.awaitTaskStatus(id, "completed", WAIT);
        List<String> lines = logLinesOf(id);
        assertThat(lines).startsWith("line-1", "line-2", "line-3", "line-4", "line-5").endsWith("line-20");
        List<RecordedRequest> after = manager.requests().subList((int) before, manager.requests().size());
        assertThat(after.get(0).line()).as("the restarted worker signs on with its stored identity")
                .isEqualTo("POST /api/v3/worker/sign-on");
        assertThat(manager.workers()).hasSize(1);
        assertEveryRequestWasValid();
    }

    @Test
    void runtimeForbidden_registersAgainOnce_andKeepsWorking() throws Exception {
        String first = addTask("first", sh("echo one; sleep 3; echo two", 0));
        String second = manager.addJob("later", List.of(new V3TaskSpec("second", "misc", List.of(sh("echo 2nd", 0)))))
                .taskId("second");
        startWorker(Map.of());
        String oldId = manager.awaitWorker(w -> "awake".equals(w.status()), WAIT).id();
        manager.awaitTask(first, t -> t.log().contains("one"), WAIT);

        manager.forgetWorker(oldId);

        V3TaskView t = manager.awaitTaskStatus(second, "completed", Duration.ofSeconds(90));
        assertThat(t.workerId()).isNotEqualTo(oldId);
        assertThat(manager.requests("POST", "/api/v3/worker/register-worker")).hasSize(2);
        assertEveryRequestWasValid();
    }

}
