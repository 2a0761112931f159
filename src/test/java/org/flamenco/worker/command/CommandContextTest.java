package org.flamenco.worker.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.flamenco.worker.testing.RecordingReporter;
import org.flamenco.worker.testing.TestEnvironments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandContextTest {
    @TempDir
    Path dir;

    @Test
    void defaultOutputLine_namesTheProcessThatPrintedIt_whenACommandRunsSeveral() throws Exception {
        RecordingReporter reporter = new RecordingReporter();
        CommandContext ctx = new CommandContext("exec", "exec.(x)", reporter, TestEnvironments.in(dir));

        ctx.logOutputLine(12, "first");
        ctx.logOutputLine(12, "");
        ctx.logOutputLine(3456, "second process");
        ctx.logOutputLine(12, "first again");

        assertThat(reporter.log()).containsExactly("pid=12 > first", "pid=12 > ", "pid=3456 > second process",
                "pid=12 > first again");
    }
}
