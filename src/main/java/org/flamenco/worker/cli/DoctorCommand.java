package org.flamenco.worker.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.flamenco.worker.config.LoggingSettings;
import org.flamenco.worker.config.LoggingSettings.LogLevel;
import org.flamenco.worker.doctor.Doctor;
import org.flamenco.worker.doctor.DoctorReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code flamenco-worker doctor}: the preflight checks of {@link Doctor}, one line each (or JSON), and an exit code
 * a provisioning script can test.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = Version.class, separator = " ",
        usageHelpWidth = 110, sortOptions = false,
        description = {"Check this render node before starting the worker: configuration, Manager (reachable, "
                + "speaks Flamenco v2), credentials (accepted; checked with GET /status-change, which does not "
                + "change the worker's state), credentials file mode, update queue, [pre_task_check] paths, "
                + "subprocess PID file, blender and ffmpeg on PATH, free disk space.",
            "Prints one line per check: ok, warn or FAIL, with a hint. Secrets are never printed. Safe to run "
                + "while the worker runs."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every check is ok (warnings allowed)",
            "1:at least one check FAILed",
            "2:usage error, or the configuration cannot be loaded (nothing else is checked)"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  flamenco-worker doctor             check ./flamenco-worker.cfg, as the worker would",
            "  flamenco-worker doctor --json      for fleet tooling",
            "  The .deb service's setup, as its user and in its working directory:",
            "    cd /var/lib/flamenco-worker",
            "    sudo -u flamenco flamenco-worker doctor -c /etc/flamenco-worker/flamenco-worker.cfg"})
public final class DoctorCommand implements Callable<Integer> {
    /** Shorter than the worker's 5 rounds of 5 s: the Manager answers within its MX of 3 s. */
    /** Doctor's own meaning of 1 (the worker's 1 is an internal error). */
    static final int CHECK_FAILED = 1;

    @ParentCommand
    private WorkerCli parent;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Check this configuration file instead of ./flamenco-worker.cfg and the home file.")
    private Path configFile;

    @Option(names = "--json", description = "Print one JSON object {\"ok\", \"checks\": [{\"name\", \"status\", "
            + "\"detail\", \"hint\"}]} instead of text, for fleet tooling.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        CliEnvironment environment = parent.environment();
        // The table says everything; a library's log line (an SSDP search that found nothing) would stray below it.
        environment.logging().apply(new LoggingSettings(LogLevel.ERROR, LogLevel.ERROR, false, Optional.empty()),
                false);
        String searchPath = Objects.requireNonNullElse(System.getenv("PATH"), "");
        DoctorReport report = Doctor.standard(environment.workingDir(), environment.homeDir(), searchPath)
                .run(Optional.ofNullable(configFile));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? report.toJson() : report.toText());
        out.flush();
        if (!report.configLoaded()) {
            return ExitCode.USAGE;
        }
        return report.ok() ? ExitCode.OK : CHECK_FAILED;
    }
}
