package org.flamenco.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.flamenco.worker.daemon.LoggingSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ch.qos.logback.classic.LoggerContext;

/** Issue 26 item 14: the help texts agree with each other and with the packages. */
class HelpTextsTest {
    private static final int WIDTH = 110;

    @TempDir
    Path dir;
    private final LoggerContext logContext = new LoggerContext();

    @AfterEach
    void tearDown() {
        logContext.stop();
    }

    private String help(String subcommand) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CliEnvironment environment = new CliEnvironment(dir, dir, new LoggingSetup(logContext, out));
        String[] args = subcommand.isEmpty() ? new String[] {"--help"} : new String[] {subcommand, "--help"};
        WorkerCli.run(environment, (c, o) -> 0, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8), args);
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "demo", "doctor", "exec-task"})
    void everyHelp_wrapsAtOneWidth_writesOptionsOneWay_andUsesThePackagesPathsAndPort(String subcommand) {
        String help = help(subcommand);

        assertThat(help.lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(WIDTH));
        assertThat(help.lines().filter(l -> l.length() > 90)).as("wrapped at %d, not at picocli's 80", WIDTH)
                .isNotEmpty();
        assertThat(help).doesNotContainPattern("--[a-z-]+=[A-Z]").doesNotContain("/etc/flamenco-worker.cfg")
                .doesNotContain(":8080");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "doctor"})
    void examplesName_theDebsConfigFile_andNoExampleBreaksMidCommand(String subcommand) {
        String help = help(subcommand);

        assertThat(help).containsPattern("flamenco-worker .*-c /etc/flamenco-worker/flamenco-worker\\.cfg\\R");
        assertThat(help.lines()).noneMatch(l -> l.startsWith("/")); // a command continued on the next line
    }

    @org.junit.jupiter.api.Test
    void theWorkersHelp_saysWhereTheExampleConfigIsInstalled() {
        assertThat(help("")).contains("conf/flamenco-worker.cfg.example in the install",
                "/opt/flamenco-worker/conf/");
    }
}
