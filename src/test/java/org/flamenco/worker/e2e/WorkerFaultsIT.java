package org.flamenco.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flamenco.worker.embedded.AddedJob;
import org.flamenco.worker.embedded.CannedReply;
import org.flamenco.worker.embedded.EmbeddedManager;
import org.flamenco.worker.embedded.RecordedRequest;
import org.flamenco.worker.embedded.TaskSpec;
import org.flamenco.worker.embedded.TaskView;
import org.flamenco.worker.testing.WorkerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Fault paths with the real worker process: outages, kill -9, stops, signals, bad replies. */
@Timeout(180)
class WorkerFaultsIT {
    @TempDir
    Path dir;
    private EmbeddedManager manager;
    private WorkerProcess worker;
    private final String marker = "fwit-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void startManager() throws Exception {
        manager = new EmbeddedManager().start();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (worker != null) {
            worker.close();
        }
        manager.close();
        for (long pid : WorkerProcess.pidsWithArgument(marker)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** A task whose shell prints numbered lines, with a background grandchild carrying the marker. */
    private AddedJob countingJob(int lines, double interval) {
        String script = "sleep 1000 " + "&& echo " + marker + " & i=0; while [ $i -lt " + lines + " ]; do "
                + "echo " + marker + "-line-$i; i=$((i+1)); sleep " + interval + "; done";
        return manager.addJob("job", List.of(new TaskSpec("t1", "debug", List.of(
                TaskSpec.command("exec", Map.of("cmd", "sh -c '" + script + "' " + marker))))));
    }

    private WorkerProcess startWorker() throws Exception {
        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of()).start();
        return worker;
    }

    /** The numbered output lines of the task's first run (a later re-run starts again at line 0). */
    private static List<String> numberedLines(TaskView t, String marker) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(".* > (" + marker + "-line-\\d+)$");
        List<String> out = new java.util.ArrayList<>();
        for (String line : t.logLines()) {
            java.util.regex.Matcher m = p.matcher(line);
            if (m.matches()) {
                if (m.group(1).endsWith("-line-0") && !out.isEmpty()) {
                    break;
                }
                out.add(m.group(1));
            }
        }
        return out;
    }

    @Test
    void managerOutageMidTask_everyLineArrivesOnceInOrderAndTheTaskRunsOnce() throws Exception {
        AddedJob job = countingJob(40, 0.25);
        startWorker();
        String id = job.taskId("t1");
        manager.awaitTask(id, t -> t.log().contains(marker + "-line-3"), Duration.ofSeconds(60));

        manager.stop();
        int deliveredBeforeOutage = allNumberedLines(manager.task(id), marker).size();
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> true);
        manager.restart();

        TaskView done = manager.awaitTaskStatus(id, "completed", Duration.ofSeconds(90));
        List<String> received = allNumberedLines(done, marker);
        List<String> expected = java.util.stream.IntStream.range(0, 40).mapToObj(i -> marker + "-line-" + i)
                .toList();
        // The update in flight when the Manager vanished may be re-sent once (worker-behaviour.md §13.5); everything
        // produced after it arrives exactly once, in order.
        assertThat(received.stream().distinct().toList()).containsExactlyElementsOf(expected);
        assertThat(received.subList(received.size() - (40 - deliveredBeforeOutage), received.size()))
                .containsExactlyElementsOf(expected.subList(deliveredBeforeOutage, 40));
        assertThat(received.size() - 40).isLessThanOrEqualTo(deliveredBeforeOutage);
        assertThat(done.logLines().stream().filter(l -> l.contains("exec: Starting")).count()).isEqualTo(1);
    }

    private static int highestLine(String body, String marker) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(marker + "-line-(\\d+)").matcher(body);
        int max = -1;
        while (m.find()) {
            max = Math.max(max, Integer.parseInt(m.group(1)));
        }
        return max;
    }

    private static List<String> allNumberedLines(TaskView t, String marker) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(".* > (" + marker + "-line-\\d+)$");
        return t.logLines().stream().map(p::matcher).filter(java.util.regex.Matcher::matches)
                .map(m -> m.group(1)).toList();
    }

    @Test
    void kill9MidTaskThenRestart_capturedLinesArriveBeforeTheNextTaskRequest() throws Exception {
        AddedJob job = countingJob(1000, 0.05);
        startWorker();
        String id = job.taskId("t1");
        manager.awaitTask(id, t -> t.log().contains(marker + "-line-20"), Duration.ofSeconds(60));
        // Updates are refused (and not applied) from now on, so they pile up in the worker's queue.
        manager.failNext(1_000_000, "/tasks/", 503, "Service Unavailable");
        RecordedRequest refused = manager.awaitRequest(r -> r.path().endsWith("/update") && r.status() == 503
                && r.body().contains(marker + "-line-40"), Duration.ofSeconds(60));
        int lastRefusedLine = highestLine(refused.body(), marker);

        worker.signal("KILL");
        worker.awaitExit(Duration.ofSeconds(10));
        for (long pid : WorkerProcess.pidsWithArgument(marker)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        manager.clearFaults();
        long requestsBefore = manager.requests().size();
        startWorker();

        RecordedRequest nextTask = manager.awaitRequest(r -> r.sequence() >= requestsBefore
                && r.path().equals("/task"), Duration.ofSeconds(60));
        TaskView t = manager.task(id);
        List<String> lines = numberedLines(t, marker);
        assertThat(lines.size()).isGreaterThan(lastRefusedLine);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).isEqualTo(marker + "-line-" + i);
        }
        assertThat(manager.requests()).filteredOn(r -> r.sequence() >= requestsBefore
                && r.sequence() < nextTask.sequence()).anyMatch(r -> r.path().endsWith("/update"));
    }

    @Test
    void mayIRunNo_killsChildAndGrandchildAndReturnsTheTask() throws Exception {
        AddedJob job = countingJob(100000, 0.2);
        startWorker();
        String id = job.taskId("t1");
        manager.awaitTask(id, t -> t.log().contains(marker + "-line-2"), Duration.ofSeconds(60));
        assertThat(WorkerProcess.pidsWithArgument(marker)).isNotEmpty();

        manager.cancelTask(id);

        manager.awaitRequest(r -> r.path().equals("/tasks/" + id + "/return"), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(5)).until(() -> WorkerProcess.pidsWithArgument(marker).isEmpty());
        TaskView t = manager.task(id);
        assertThat(t.log()).contains("stopped running this task, no longer allowed to run by Manager");
        assertThat(t.updates()).noneMatch(u -> "canceled".equals(u.get("task_status"))
                || "failed".equals(u.get("task_status")));
    }

    @Test
    void sigtermDuringTask_killsTheTreeSignsOffLastAndExitsZero() throws Exception {
        AddedJob job = countingJob(100000, 0.2);
        startWorker();
        String id = job.taskId("t1");
        manager.awaitTask(id, t -> t.log().contains(marker + "-line-2"), Duration.ofSeconds(60));

        worker.signal("TERM");

        assertThat(worker.awaitExit(Duration.ofSeconds(30))).contains(0);
        assertThat(WorkerProcess.pidsWithArgument(marker)).isEmpty();
        List<RecordedRequest> requests = manager.requests();
        assertThat(requests.get(requests.size() - 1).path()).isEqualTo("/sign-off");
        TaskView t = manager.task(id);
        assertThat(t.log()).contains("stopped running this task because the worker is shutting down");
        assertThat(t.updates()).noneMatch(u -> "canceled".equals(u.get("task_status"))
                || "failed".equals(u.get("task_status")));
    }

    @Test
    void secondSigterm_exits143QuicklyLeavingNoChild() throws Exception {
        String script = "trap \"\" TERM; sleep 1000 & while true; do echo " + marker + "-line; sleep 0.2; done";
        AddedJob job = manager.addJob("job", List.of(new TaskSpec("t1", "debug", List.of(
                TaskSpec.command("exec", Map.of("cmd", "sh -c '" + script + "' " + marker))))));
        worker = WorkerProcess.configure(dir, manager.url().toString(),
                Map.of("subprocess_kill_grace_seconds", "30")).start();
        manager.awaitTask(job.taskId("t1"), t -> t.log().contains(marker + "-line"), Duration.ofSeconds(60));
        worker.signal("TERM");
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.output().contains("Shutting down"));

        long start = System.nanoTime();
        worker.signal("TERM");

        assertThat(worker.awaitExit(Duration.ofSeconds(15))).contains(143);
        // Far inside the 30 s kill grace the first SIGTERM would have waited for (loaded machines need some slack).
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        await().atMost(Duration.ofSeconds(3)).until(() -> WorkerProcess.pidsWithArgument(marker).isEmpty());
    }

    @Test
    void malformedManagerReplies_areSurvivedAndTheTaskStillRuns() throws Exception {
        AddedJob job = manager.addJob("job", List.of(new TaskSpec("t1", "debug", List.of(
                TaskSpec.command("echo", Map.of("message", "survived"))))));
        manager.answerNext(1, "/task", CannedReply.text(200, "this is not json"));
        manager.answerNext(1, "/task", CannedReply.empty(423));
        manager.failNext(2, "/task", 503, "<html>proxy error</html>");
        startWorker();

        TaskView t = manager.awaitTaskStatus(job.taskId("t1"), "completed", Duration.ofSeconds(90));

        assertThat(t.log()).contains("survived");
        assertThat(worker.isAlive()).isTrue();
    }

    @Test
    void badTaskDocuments_failTheTaskWithAClearMessageAndTheWorkerGoesOn() throws Exception {
        AddedJob job = manager.addJob("job", List.of(
                new TaskSpec("unknown", "debug", List.of(TaskSpec.command("no_such_command", Map.of()))),
                new TaskSpec("badsetting", "debug", List.of(TaskSpec.command("echo", Map.of("message", 42)))),
                new TaskSpec("good", "debug", List.of(TaskSpec.command("echo", Map.of("message", "ok"))))));
        startWorker();

        TaskView unknown = manager.awaitTaskStatus(job.taskId("unknown"), "failed", Duration.ofSeconds(60));
        TaskView bad = manager.awaitTaskStatus(job.taskId("badsetting"), "failed", Duration.ofSeconds(60));
        manager.awaitTaskStatus(job.taskId("good"), "completed", Duration.ofSeconds(60));

        assertThat(unknown.activity()).contains("unknown command name 'no_such_command'");
        assertThat(bad.activity()).contains("echo.(task_id=" + job.taskId("badsetting"), "Invalid settings",
                "Message must be a string");
    }

    @Test
    void managerForgetsTheWorker_itRegistersAgainAndKeepsWorking() throws Exception {
        startWorker();
        manager.awaitRequest(r -> r.path().equals("/task"), Duration.ofSeconds(30));
        manager.forgetAllWorkers();
        AddedJob job = manager.addJob("job", List.of(new TaskSpec("t1", "debug", List.of(
                TaskSpec.command("echo", Map.of("message", "after re-registration"))))));

        manager.awaitTaskStatus(job.taskId("t1"), "completed", Duration.ofSeconds(60));

        assertThat(manager.requests("POST", "/register-worker")).hasSize(2);
        assertThat(Files.readString(dir.resolve("credentials.cfg"))).contains(manager.task(job.taskId("t1"))
                .workerId());
    }
}
