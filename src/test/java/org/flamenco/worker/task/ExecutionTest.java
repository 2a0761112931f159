package org.flamenco.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;

import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.model.TaskStatus;
import org.flamenco.worker.testing.RecordingOutbox;
import org.junit.jupiter.api.Test;

/** Held subprocess output lines: captured as one burst, never after what was captured later. */
class ExecutionTest {
    private final RecordingOutbox outbox = new RecordingOutbox();
    private final Execution execution = new Execution(new ExecutionId("task", "exec-1"), outbox, 2);

    @Test
    void outputLines_areHeldUntilTheBurstEndsAndThenCapturedInOneGo() {
        execution.outputLine("pid=1 > a");
        execution.outputLine("pid=1 > b");
        assertThat(outbox.logLines()).isEmpty();

        execution.flushOutput();

        assertThat(outbox.logLines()).containsExactly("pid=1 > a", "pid=1 > b");
        assertThat(outbox.bursts()).containsExactly(2);
        execution.flushOutput();
        assertThat(outbox.bursts()).containsExactly(2);
    }

    @Test
    void anyOtherCapture_takesTheHeldLinesFirst() {
        execution.outputLine("pid=1 > out 1");
        execution.log("exec: a line of the task");
        execution.outputLine("pid=1 > out 2");
        execution.activity("rendering");
        execution.outputLine("pid=1 > out 3");
        execution.status(TaskStatus.FAILED);

        assertThat(outbox.kinds()).containsExactly("log", "log", "log", "activity", "log", "activity");
        assertThat(outbox.logLines()).containsExactly("pid=1 > out 1", "exec: a line of the task", "pid=1 > out 2",
                "pid=1 > out 3");
    }

    @Test
    void progressThatChangesNothing_doesNotEndTheBurst() {
        execution.commandProgress(50);
        execution.outputLine("pid=1 > a");

        execution.commandProgress(40); // never decreases: the snapshot stays the same

        assertThat(outbox.logLines()).isEmpty();
        execution.commandProgress(60);
        assertThat(outbox.logLines()).containsExactly("pid=1 > a");
    }

    @Test
    void veryLongOutputLine_isCutIntoPiecesAfterTheLinesHeldBeforeIt() {
        execution.outputLine("pid=1 > before");
        String longLine = "pid=1 > " + "x".repeat(70_000);

        execution.outputLine(longLine);

        assertThat(outbox.logLines()).hasSize(3).first().isEqualTo("pid=1 > before");
        assertThat(String.join("", outbox.logLines().subList(1, 3))).isEqualTo(longLine);
        // room for a command's prefix on top of the reader's 64 KiB pieces, so those are never cut twice
        assertThat(outbox.logLines().get(1)).hasSize(65_536 + 1024);
    }

    @Test
    void manyHeldLines_areCapturedWithoutWaitingForTheEndOfTheBurst() {
        IntStream.range(0, 10_000).forEach(i -> execution.outputLine("pid=1 > " + i));

        assertThat(outbox.logLines()).hasSizeGreaterThan(5_000);
        execution.flushOutput();
        assertThat(outbox.logLines()).hasSize(10_000).endsWith("pid=1 > 9999");
        assertThat(outbox.bursts()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4096));
    }
}
