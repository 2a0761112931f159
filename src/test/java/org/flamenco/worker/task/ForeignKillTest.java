package org.flamenco.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandRegistry;
import org.flamenco.worker.command.SubprocessSettings;
import org.flamenco.worker.command.misc.MiscCommands;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.TaskCommands;
import org.flamenco.worker.process.OomKillCounter;
import org.flamenco.worker.process.PidFileGuard;
import org.flamenco.worker.process.PosixProcessLauncher;
import org.flamenco.worker.testing.NoLeakedProcesses;
import org.flamenco.worker.testing.RecordingOutbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A subprocess killed by a SIGKILL the worker did not send, with and without the kernel's OOM killer at work. */
@Timeout(60)
@ExtendWith(NoLeakedProcesses.class)
class ForeignKillTest {
    private static final String TASK_ID = "5c8f0a9b1d2e3f4a5b6c7d8e";
    private final RecordingOutbox outbox = new RecordingOutbox();
    /** Every read counts one more OOM kill: the count always rises while a subprocess runs. */
    private final AtomicLong rising = new AtomicLong(41);
    @TempDir
    Path dir;

    private TaskRunner runner(OomKillCounter counter, Duration inactivity) {
        CommandEnvironment env = new CommandEnvironment(dir, new SystemClock(), new PosixProcessLauncher(),
                new SubprocessSettings(Duration.ofSeconds(1), inactivity), PidFileGuard.disabled(), counter);
        return new TaskRunner(new CommandRegistry(MiscCommands.v2()), outbox, new SystemClock(), (t, p) -> { }, env);
    }

    private static Task exec(String cmd) {
        return new Task(TASK_ID, "the task", "the job", "debug", "debug",
                TaskCommands.decodeV2(List.of(Map.of("name", "exec", "settings", Map.of("cmd", cmd)))));
    }

    @Test
    void sigkillFromOutside_isReportedAsNotSentByTheWorker() throws Exception {
        TaskRunner runner = runner(() -> OptionalLong.of(7), Duration.ZERO);
        CompletableFuture<TaskOutcome> result = CompletableFuture.supplyAsync(
                () -> runner.run(exec("sh -c 'echo ready; exec sleep 30'")));
        String ready = await().atMost(Duration.ofSeconds(10)).until(
                () -> outbox.logLines().stream().filter(l -> l.matches("pid=\\d+ > ready")).findFirst().orElse(null),
                l -> l != null);

        ProcessHandle.of(Long.parseLong(ready.substring(4, ready.indexOf(' ')))).orElseThrow().destroyForcibly();

        TaskOutcome outcome = result.get(20, TimeUnit.SECONDS);
        assertThat(outcome.kind()).isEqualTo(TaskOutcome.Kind.FAILED);
        assertThat(outcome.activity()).matches(".*Error executing: Subprocess sh -c 'echo ready; exec sleep 30' "
                + "\\(pid=\\d+\\) killed by signal 9, not sent by the worker");
    }

    @Test
    void whenTheOomKillCountRose_theFailureNamesTheOomKillerAndThePeakMemory() {
        TaskRunner runner = runner(() -> OptionalLong.of(rising.getAndIncrement()), Duration.ZERO);

        TaskOutcome outcome = runner.run(exec("sh -c 'sleep 0.3; kill -KILL $$'"));

        assertThat(outcome.kind()).isEqualTo(TaskOutcome.Kind.FAILED);
        assertThat(outcome.activity()).matches(".*Error executing: Subprocess sh -c 'sleep 0.3; kill -KILL \\$\\$' "
                + "\\(pid=\\d+\\) "
                + "killed by the kernel's out-of-memory killer; peak memory \\d+(\\.\\d)? [KMG]iB");
        assertThat(outbox.logLines()).anyMatch(l -> l.matches("exec: finished in .*, peak memory .*"));
    }

    @Test
    void whenTheCountIsUnknown_aForeignSigkillIsNotTakenForAnOomKill() {
        TaskRunner runner = runner(OptionalLong::empty, Duration.ZERO);

        TaskOutcome outcome = runner.run(exec("sh -c 'kill -KILL $$'"));

        assertThat(outcome.activity()).endsWith("killed by signal 9, not sent by the worker");
    }

    @Test
    void aKillTheWorkerSent_isNeverTakenForAnOomKill() {
        TaskRunner runner = runner(() -> OptionalLong.of(rising.getAndIncrement()), Duration.ofMillis(300));

        TaskOutcome outcome = runner.run(exec("sh -c 'trap \"\" TERM; echo hi; sleep 30'"));

        assertThat(outcome.activity()).matches(".*Command pid=\\d+ timed out after 0.3 seconds without output; "
                + "its process tree was killed");
    }

    @Test
    void afterAnOomKill_theNextTaskRuns() {
        TaskRunner runner = runner(() -> OptionalLong.of(rising.getAndIncrement()), Duration.ZERO);
        runner.run(exec("sh -c 'kill -KILL $$'"));

        TaskOutcome next = runner.run(exec("echo next"));

        assertThat(next.kind()).isEqualTo(TaskOutcome.Kind.COMPLETED);
        assertThat(outbox.logLines()).anyMatch(l -> l.matches("pid=\\d+ > next"));
    }
}
