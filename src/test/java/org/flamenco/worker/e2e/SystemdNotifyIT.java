package org.flamenco.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flamenco.worker.embedded.AddedJob;
import org.flamenco.worker.embedded.EmbeddedManager;
import org.flamenco.worker.embedded.TaskSpec;
import org.flamenco.worker.testing.NotifySocket;
import org.flamenco.worker.testing.WorkerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged worker under a stand-in for systemd: {@code NOTIFY_SOCKET} names a real Unix datagram socket bound by
 * the test, {@code WATCHDOG_USEC} asks for watchdog pings.
 */
@Timeout(240)
class SystemdNotifyIT {
    private static final Duration WATCHDOG = Duration.ofSeconds(4);

    @TempDir
    Path dir;
    private EmbeddedManager manager;
    private WorkerProcess worker;
    private NotifySocket socket;
    private final String marker = "fwsd-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void start() throws Exception {
        manager = new EmbeddedManager().start();
        socket = NotifySocket.atPath(dir);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (worker != null) {
            worker.close();
        }
        manager.close();
        socket.close();
        for (long pid : WorkerProcess.pidsWithArgument(marker)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void readyStatusWatchdogAndStopping_andThePingsStopWhenTheFetchLoopHangs() throws Exception {
        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of("http_read_timeout_seconds", "300"))
                .start(Map.of("NOTIFY_SOCKET", socket.name(), "WATCHDOG_USEC",
                        Long.toString(WATCHDOG.toNanos() / 1000)));
        await().atMost(Duration.ofSeconds(60)).until(() -> socket.all().contains("STATUS=awake, idle"));
        AddedJob job = manager.addJob("job", List.of(new TaskSpec("t1", "debug", List.of(TaskSpec.command("exec",
                Map.of("cmd", "sh -c 'sleep 3' " + marker))))));
        String id = job.taskId("t1");
        await().atMost(Duration.ofSeconds(60)).until(() -> socket.all().stream()
                .anyMatch(m -> m.startsWith("STATUS=running " + id)));
        manager.awaitTaskStatus(id, "completed", Duration.ofSeconds(60));
        // Pings go out every WATCHDOG/2 from the start; a task picked up at the first fetch may end before 3 of them.
        await().atMost(Duration.ofSeconds(60)).until(() -> count("WATCHDOG=1") >= 3);

        manager.delayReplies("/task", Duration.ofSeconds(200)); // the next fetch hangs in the Manager call
        await().atMost(Duration.ofSeconds(60)).until(() -> silentFor("WATCHDOG=1", WATCHDOG.multipliedBy(2)));
        boolean aliveWhileSilent = worker.isAlive();
        worker.signal("TERM");
        await().atMost(Duration.ofSeconds(60)).until(() -> socket.all().contains("STOPPING=1"));
        worker.awaitExit(Duration.ofSeconds(60));

        List<String> all = socket.all();
        assertThat(all.stream().filter(m -> m.startsWith("READY=1")).count()).isEqualTo(1);
        assertThat(all.indexOf(all.stream().filter(m -> m.startsWith("READY=1")).findFirst().orElseThrow()))
                .isLessThan(all.indexOf("STATUS=awake, idle") + 1);
        assertThat(aliveWhileSilent).isTrue();
        assertThat(all.get(all.size() - 1)).isEqualTo("STOPPING=1");
    }

    @Test
    void noNotificationsWithoutNotifySocket() throws Exception {
        worker = WorkerProcess.configure(dir, manager.url().toString(), Map.of()).start(Map.of("WATCHDOG_USEC",
                "1000000"));
        manager.awaitRequest(r -> r.path().equals("/task"), Duration.ofSeconds(60));

        worker.signal("TERM");
        assertThat(worker.awaitExit(Duration.ofSeconds(60))).contains(0);

        assertThat(socket.all()).isEmpty();
    }

    private int count(String message) {
        return (int) socket.all().stream().filter(message::equals).count();
    }

    private long lastSeenNanos = System.nanoTime();
    private int lastCount = -1;

    /** True once no {@code message} arrived for {@code quiet} (polled by Awaitility). */
    private boolean silentFor(String message, Duration quiet) {
        int n = count(message);
        if (n != lastCount) {
            lastCount = n;
            lastSeenNanos = System.nanoTime();
            return false;
        }
        return System.nanoTime() - lastSeenNanos > quiet.toNanos();
    }
}
