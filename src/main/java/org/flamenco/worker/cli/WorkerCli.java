package org.flamenco.worker.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import org.flamenco.worker.config.ConfigException;
import org.flamenco.worker.config.ConfigLoader;
import org.flamenco.worker.config.CredentialsLock;
import org.flamenco.worker.config.LoadedConfig;
import org.flamenco.worker.daemon.Daemon;
import org.flamenco.worker.daemon.DaemonResult;
import org.flamenco.worker.config.RunOptions;
import org.flamenco.worker.daemon.LoggingSetup;
import org.flamenco.worker.model.BuildInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code flamenco-worker} command (worker-behaviour.md §4): the original worker's flags; loads the
 * configuration, sets up logging, logs the startup lines, then hands over to the {@link WorkerRunner}. Subcommands
 * ({@code demo}, {@code doctor}, {@code exec-task}) are added to {@code subcommands} of the annotation; without one
 * the worker runs.
 *
 * <p>A service run whose arguments are only this command's own options, each given once in its plain form
 * ({@code -c FILE}, {@code --config FILE}, {@code -v}, {@code --debug}, ...), is parsed without picocli
 * ({@link #serviceRun}): picocli reflects over every command class, which took a third of the worker's start-up
 * before its first Manager request (issue 24). Anything else (help, a subcommand, clustered or repeated options, an
 * error) goes through picocli, so its output and exit codes are picocli's.
 */
@Command(name = "flamenco-worker", mixinStandardHelpOptions = true, versionProvider = Version.class,
        subcommands = {DemoCommand.class, DoctorCommand.class, ExecTaskCommand.class, StatusCommand.class},
        sortOptions = false, separator = " ", usageHelpWidth = 110, abbreviateSynopsis = false,
        description = {
            "Render-farm worker for Flamenco Managers (v2 and Flamenco 3, manager_protocol): registers with the "
                    + "Manager, fetches tasks, runs their commands (Blender, FFmpeg, file operations) as child "
                    + "processes and reports progress and logs through a durable local queue.",
            "Without a subcommand it runs until it is stopped by a signal or by the Manager."},
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:clean shutdown (signal, Manager-requested shutdown or offline, --single done), --help, --version",
            "1:unexpected internal error (a bug), logged with its stack trace",
            "2:usage or configuration error",
            "3:the Manager refused registration or sign-on (check worker_registration_secret, clock)",
            "4:no Manager found by discovery (set manager_url)",
            "5:the update queue database cannot be opened or created",
            "restart_exit_code:Flamenco 3 asked the worker to restart (only when restart_exit_code is set)",
            "128+N:forced exit after a second signal N (130 SIGINT, 143 SIGTERM)"},
        footerHeading = "%n",
        footer = {
            "Configuration (later layers replace single keys of earlier ones):",
            "  1. built-in defaults",
            "  2. ./flamenco-worker.cfg in the current directory (required), or the -c FILE (required)",
            "  3. ~/.flamenco-worker.cfg (optional; not read with -c)",
            "  4. credentials_file (default ~/.flamenco-worker.cfg): only worker_id and worker_secret, when still "
                    + "empty",
            "  Relative paths are resolved against the current directory.",
            "  Every key with its default and meaning: conf/flamenco-worker.cfg.example in the install",
            "  (/opt/flamenco-worker/conf/ for the .deb; the .deb's own file is "
                    + "/etc/flamenco-worker/flamenco-worker.cfg).",
            "",
            "Files written:",
            "  credentials_file                 worker_id and worker_secret after registration (mode 0600)",
            "  flamenco-worker.db               the update queue (task_update_queue_db)",
            "  flamenco-worker-subprocess.pid   while a subprocess runs (subprocess_pid_file)",
            "  the log file                     from [handler_file] args, when configured",
            "",
            "Signals:",
            "  SIGINT, SIGTERM, SIGHUP   first: clean shutdown (stop task, deliver updates, sign off); "
                    + "second: exit at once",
            "  SIGUSR1                   go to sleep; a running task is returned to the Manager",
            "  SIGUSR2                   wake up and fetch tasks again",
            "  SIGIO                     log a status summary",
            "  SIGQUIT                   JVM thread dump",
            "",
            "Examples:",
            "  flamenco-worker                    run with ./flamenco-worker.cfg (and ~/.flamenco-worker.cfg)",
            "  flamenco-worker -d -c /etc/flamenco-worker/flamenco-worker.cfg",
            "                                     the .deb's configuration file, debug logging",
            "  flamenco-worker -r -1              register as a new worker, run one task, exit",
            "  flamenco-worker doctor             check this node first (see flamenco-worker doctor --help)"})
public final class WorkerCli implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerCli.class);
    /** The boolean options as {@link #serviceRun} takes them: short name, then long name (as the fields below). */
    private static final List<String> SERVICE_FLAGS = List.of("-v", "--verbose", "-r", "--reregister", "-d",
            "--debug", "-t", "--test", "-1", "--single");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Load this configuration file instead of ./flamenco-worker.cfg and the home file.")
    private Path configFile;

    @Option(names = {"-v", "--verbose"},
            description = "Print the effective configuration (secrets as ***) at startup, a status summary at exit.")
    private boolean verbose;

    @Option(names = {"-r", "--reregister"},
            description = "Ignore stored credentials and register as a new worker (the old entry stays).")
    private boolean reregister;

    @Option(names = {"-d", "--debug"}, description = "DEBUG level for the worker's own loggers.")
    private boolean debug;

    @Option(names = {"-t", "--test"},
            description = "Test mode: task types become test-blender-render; the worker acks 'testing'.")
    private boolean test;

    @Option(names = {"-1", "--single"}, description = "Run one task, then shut down cleanly.")
    private boolean single;

    private final CliEnvironment environment;
    private final WorkerRunner runner;
    private final PrintWriter err;

    WorkerCli(CliEnvironment environment, WorkerRunner runner, PrintWriter err) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.err = Objects.requireNonNull(err, "err");
    }

    /** Runs the command line for the real process and returns the process exit code. */
    public static int run(String... args) {
        return run(CliEnvironment.ofThisProcess(), WorkerCli::runDaemon, System.out, System.err, args);
    }

    /** Runs the command line with the given environment, worker and output streams. */
    public static int run(CliEnvironment environment, WorkerRunner runner, PrintStream out, PrintStream err,
                          String... args) {
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        WorkerCli cli = new WorkerCli(environment, runner, errWriter);
        if (cli.serviceRun(args)) {
            try {
                return cli.call();
            } catch (Exception e) { // as picocli's execution exception handler below
                return internalError(environment, e);
            }
        }
        CommandLine commandLine = new CommandLine(cli);
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(errWriter);
        commandLine.setParameterExceptionHandler(WorkerCli::shortUsage);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> internalError(environment, e));
        return commandLine.execute(args);
    }

    private static int internalError(CliEnvironment environment, Exception e) {
        environment.logging().logger(WorkerCli.class.getName()).error("Unexpected internal error", e);
        return ExitCode.INTERNAL_ERROR;
    }

    /**
     * Takes the options of a service run without picocli when each argument is one of this command's options in its
     * plain form, given once, with {@code -c}/{@code --config} followed by a value that does not start with
     * {@code -}; returns false (and sets nothing) for anything else, which picocli then parses.
     */
    boolean serviceRun(String... args) {
        Path config = null;
        Set<String> flags = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-c") || arg.equals("--config")) {
                if (config != null || i + 1 == args.length || args[i + 1].isEmpty() || args[i + 1].startsWith("-")) {
                    return false;
                }
                try {
                    config = Path.of(args[++i]);
                } catch (InvalidPathException e) {
                    return false;
                }
            } else if (!SERVICE_FLAGS.contains(arg) || !flags.add(SERVICE_FLAGS.get(SERVICE_FLAGS.indexOf(arg) & ~1))) {
                return false;
            }
        }
        configFile = config;
        verbose = flags.contains("-v");
        reregister = flags.contains("-r");
        debug = flags.contains("-d");
        test = flags.contains("-t");
        single = flags.contains("-1");
        return true;
    }

    /** For subcommands: the directories and logging this command line runs with. */
    CliEnvironment environment() {
        return environment;
    }

    @Override
    public Integer call() throws Exception {
        LoadedConfig loaded;
        try {
            loaded = new ConfigLoader(environment.workingDir(), environment.homeDir())
                    .load(Optional.ofNullable(configFile));
        } catch (ConfigException e) {
            // logging is not set up yet: the one line goes straight to stderr
            err.println(e.getMessage());
            return ExitCode.USAGE;
        }
        if (test) {
            loaded = loaded.forTestMode();
        }
        if (reregister) {
            loaded = loaded.withoutStoredCredentials();
        }
        CredentialsLock lock;
        try {
            lock = CredentialsLock.acquire(loaded.config().credentialsFile());
        } catch (ConfigException e) {
            err.println(e.getMessage()); // another worker uses this identity
            return ExitCode.USAGE;
        }
        try (lock) {
            environment.logging().apply(loaded.config().logging(), debug);
            logStartup(loaded);
            lock.warning().ifPresent(environment.logging().logger(LoggingSetup.STARTUP_LOGGER)::warn);
            if (verbose) {
                err.print("# Effective configuration\n" + loaded.toIni());
                err.flush();
            }
            return runner.run(loaded, new RunOptions(verbose, debug, test, single, reregister));
        }
    }

    private void logStartup(LoadedConfig loaded) {
        Logger startup = environment.logging().logger(LoggingSetup.STARTUP_LOGGER);
        startup.info("Starting Flamenco Worker {}", BuildInfo.version());
        startup.info("Working directory: {}", environment.workingDir());
        startup.info("Loading configuration from {}", loaded.searched());
        startup.info("Configuration files read: {}", loaded.filesRead());
        loaded.warnings().forEach(startup::warn);
        if (loaded.config().manager().url().isEmpty()) {
            startup.warn("manager_url is empty: looking for a Flamenco Manager on the local network (UPnP/SSDP) "
                    + "for up to {} s, then exit code 4; set manager_url in {} to skip discovery",
                    Daemon.DISCOVERY_TIME.toSeconds(), loaded.mainFile());
        }
        if (test) {
            startup.warn("Test mode: task types replaced by {}; the worker reports status 'testing'",
                    LoadedConfig.TEST_TASK_TYPE);
        }
        if (reregister) {
            startup.warn("--reregister: ignoring stored credentials and registering as a new worker; "
                    + "the old worker entry stays on the Manager");
        }
        if (single) {
            startup.info("Single-task mode: shutting down after the first task");
        }
    }

    /** A usage error: the problem, the synopsis and a pointer to --help on stderr; exit 2. */
    private static int shortUsage(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandName() + ": " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.print(cmd.getHelp().synopsis(0));
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        return ExitCode.USAGE;
    }

    /** Runs the daemon and maps how it ended to the exit code (only {@code cli} chooses exit codes). */
    private static int runDaemon(LoadedConfig loaded, RunOptions options) throws Exception {
        DaemonResult result = new Daemon(loaded.config(), options).run();
        return switch (result.kind()) {
            case CLEAN -> ExitCode.OK;
            case REGISTRATION_REFUSED -> fail(ExitCode.REGISTRATION_REFUSED, result);
            case NO_MANAGER_FOUND -> fail(ExitCode.NO_MANAGER_FOUND, noManagerFound(loaded, result));
            case QUEUE_UNUSABLE -> fail(ExitCode.QUEUE_UNUSABLE, result);
            case CONFIG_ERROR -> fail(ExitCode.USAGE,
                    DaemonResult.of(result.kind(), loaded.invalid(result.configKey(), result.message())));
            case FORCED -> ExitCode.SIGNAL_BASE + result.signal();
            case RESTART_REQUESTED -> restartExitCode(loaded);
        };
    }

    /** The Manager asked for a restart: {@code restart_exit_code} tells the service manager to start us again. */
    static int restartExitCode(LoadedConfig loaded) {
        if (loaded.config().lifecycle().restartExitCode().isEmpty()) {
            LOG.warn("The Manager requested a restart but restart_exit_code is not set; exiting with 0");
            return ExitCode.OK;
        }
        LOG.info("Exiting with restart_exit_code {} so that the service manager starts the worker again",
                loaded.config().lifecycle().restartExitCode().getAsInt());
        return loaded.config().lifecycle().restartExitCode().getAsInt();
    }

    /** Exit 4 names the file to fix. */
    static DaemonResult noManagerFound(LoadedConfig loaded, DaemonResult result) {
        return DaemonResult.of(result.kind(), result.message() + "; set manager_url in " + loaded.mainFile());
    }

    private static int fail(int code, DaemonResult result) {
        LOG.error("{}", result.message());
        return code;
    }
}
