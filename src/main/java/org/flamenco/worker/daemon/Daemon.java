package org.flamenco.worker.daemon;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.config.QueueSettings;
import org.flamenco.worker.config.RunOptions;
import org.flamenco.worker.config.WorkerConfig;
import org.flamenco.worker.manager.HostName;
import org.flamenco.worker.manager.ManagerApi;
import org.flamenco.worker.manager.ManagerProtocol;
import org.flamenco.worker.manager.Platform;
import org.flamenco.worker.manager.SsdpDiscovery;
import org.flamenco.worker.manager.v2.V2ManagerApi;
import org.flamenco.worker.manager.v2.V2Settings;
import org.flamenco.worker.manager.v3.ImageIoPreviewEncoder;
import org.flamenco.worker.manager.v3.PreviewEncoder;
import org.flamenco.worker.manager.v3.ProtocolProbe;
import org.flamenco.worker.manager.v3.V3ManagerApi;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.model.WorkerStatus;
import org.flamenco.worker.outbox.OutboxException;
import org.flamenco.worker.outbox.OutboxSettings;
import org.flamenco.worker.outbox.Sender;
import org.flamenco.worker.outbox.SqliteOutbox;
import org.flamenco.worker.process.PidFileGuard;
import org.flamenco.worker.process.RunningTree;
import org.flamenco.worker.task.TaskRunner;
import org.flamenco.worker.agent.Acks;
import org.flamenco.worker.agent.AgentStates;
import org.flamenco.worker.agent.Enrollment;
import org.flamenco.worker.agent.FetchGate;
import org.flamenco.worker.agent.MayIRunPoller;
import org.flamenco.worker.agent.OutputNotifier;
import org.flamenco.worker.agent.PreTaskCheck;
import org.flamenco.worker.agent.Quarantine;
import org.flamenco.worker.agent.RegistrationRefusedException;
import org.flamenco.worker.agent.ShutdownCause;
import org.flamenco.worker.agent.TaskReturner;
import org.flamenco.worker.agent.TaskSession;
import org.flamenco.worker.agent.Worker;
import org.flamenco.worker.agent.WorkerIdentity;
import org.flamenco.worker.agent.WorkerTiming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root (STYLE.md rule 2): builds the worker from its configuration in the startup order of
 * worker-behaviour.md §5, runs it until a shutdown ends, and returns how it ended. Nothing else assembles the graph.
 */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /** How long startup step 7 looks for a Manager when {@code manager_url} is empty. */
    public static final Duration DISCOVERY_TIME =
            SsdpDiscovery.DEFAULT_LISTEN.multipliedBy(SsdpDiscovery.DEFAULT_ROUNDS);
    /** A second signal: how long the process tree of the running task is given to disappear after its SIGKILL. */
    private static final Duration FORCED_KILL_WAIT = Duration.ofMillis(1500);

    private final WorkerConfig config;
    private final RunOptions options;
    private final Clock clock = new SystemClock();
    private final DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    /** The subprocess being supervised, for the monitoring's task-tree figures. */
    private final RunningTree runningTree = new RunningTree();

    public Daemon(WorkerConfig config, RunOptions options) {
        this.config = Objects.requireNonNull(config, "config");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Runs the worker on the calling thread until it has shut down. */
    public DaemonResult run() throws IOException, InterruptedException {
        Monitoring monitoring;
        try {
            monitoring = Monitoring.open(config.monitoring(), config.manager().protocol(), System.getenv(), clock);
        } catch (IOException e) {
            return DaemonResult.configError("metrics_listen", "cannot listen there (" + e.getMessage()
                    + "); expected a free port on an address of this machine");
        }
        try (monitoring) {
            return run(monitoring);
        }
    }

    private DaemonResult run(Monitoring monitoring) throws IOException, InterruptedException {
        SignalRouter signals = new SignalRouter(Thread.currentThread());
        SignalHandlers.install(signals);
        // With a configured URL the protocol is decided while the queue opens (issue 24: the first request sooner)
        Optional<EarlyProtocolProbe> early = config.manager().uri().map(u -> EarlyProtocolProbe.start(
                () -> ProtocolSetup.decide(config.manager(), u, v2Settings(u), clock, random)));
        SqliteOutbox outbox;
        try {
            QueueSettings queue = config.queue();
            outbox = SqliteOutbox.open(new OutboxSettings(queue.db(), queue.pushActMaxInterval(),
                    queue.pushLogMaxInterval(), queue.pushLogMaxEntries(), queue.taskLogMaxBytes()), clock);
        } catch (OutboxException e) {
            closeProbe(early);
            return DaemonResult.of(DaemonResult.Kind.QUEUE_UNUSABLE, e.getMessage());
        }
        try (outbox; TaskRuntime runtime = TaskRuntime.create(config, clock)) {
            PidFileGuard pidFile = pidFileGuard(runtime);
            Optional<URI> url = managerUrl();
            if (url.isEmpty()) {
                return signals.stopRequested() ? DaemonResult.clean()
                        : DaemonResult.of(DaemonResult.Kind.NO_MANAGER_FOUND, "no Flamenco Manager found via SSDP");
            }
            ProtocolSetup setup;
            try {
                setup = new ProtocolSetup(early.isPresent() ? early.get().await() : ProtocolSetup.decide(
                        config.manager(), url.get(), v2Settings(url.get()), clock, random), config, options);
            } catch (InterruptedException e) {
                LOG.info("Stopped before the Manager's protocol was known");
                return DaemonResult.clean();
            }
            monitoring.protocolChosen(setup.protocol().setting());
            monitoring.start(outbox::state, runningTree);
            if (setup.protocol() == ManagerProtocol.V3) {
                try (V3ManagerApi api = new V3ManagerApi(v2Settings(url.get()),
                        config.lifecycle().restartExitCode().isPresent(),
                        previewEncoder(), clock)) {
                    api.observeRequests(monitoring.metrics()::managerRequest);
                    return runWith(signals, outbox, runtime, pidFile, api, setup, monitoring);
                }
            }
            try (V2ManagerApi api = new V2ManagerApi(v2Settings(url.get()), clock)) {
                api.observeRequests(monitoring.metrics()::managerRequest);
                return runWith(signals, outbox, runtime, pidFile, api, setup, monitoring);
            }
        } finally {
            closeProbe(early);
        }
    }

    /** Stops a protocol probe that is still retrying (start-up ended before it decided) and waits for its thread. */
    private static void closeProbe(Optional<EarlyProtocolProbe> probe) {
        probe.ifPresent(EarlyProtocolProbe::close);
    }

    private DaemonResult runWith(SignalRouter signals, SqliteOutbox outbox, TaskRuntime runtime,
                                 PidFileGuard pidFile, ManagerApi api, ProtocolSetup setup, Monitoring monitoring)
            throws InterruptedException {
        WorkerMetrics metrics = monitoring.metrics();
        LateBoundCallbacks running = new LateBoundCallbacks();
        WorkerIdentity identity = new WorkerIdentity(setup.taskTypes(), nickname(), platform(),
                setup.registrationSecret(), setup.credentials());
        Enrollment enrollment = new Enrollment(api, identity, setup::store, clock, random,
                Duration.ofMinutes(10), () -> running.shutdown(ShutdownCause.REGISTRATION_REFUSED), metrics,
                setup.protocol());
        Optional<WorkerStatus> requestedAtSignOn;
        try {
            requestedAtSignOn = enrollment.enroll();
        } catch (RegistrationRefusedException e) {
            return DaemonResult.of(DaemonResult.Kind.REGISTRATION_REFUSED, e.getMessage());
        } catch (InterruptedException e) {
            LOG.info("Stopped before registration or sign-on finished");
            return DaemonResult.clean();
        }
        monitoring.ready();
        ClassDataMarker.signedOn();
        WorkerTiming timing = setup.timing();
        try (OutputNotifier notifier = new OutputNotifier(api, clock, timing.outputInterval());
             Acks acks = new Acks(api, enrollment, clock, random);
             MayIRunPoller poller = new MayIRunPoller(api, enrollment, clock, timing.mayIRunInterval());
             PreTaskCheck preTaskCheck = preTaskCheck();
             Sender sender = new Sender(outbox, api, enrollment, clock, Backoff.SENDER, random, poller::checkNow,
                     metrics)) {
            TaskRunner runner = runtime.runner(setup.dialect(), outbox, notifier::report, pidFile, runningTree,
                    metrics);
            AgentStates states = new AgentStates(clock, timing, acks, metrics, running::shutdown, random);
            TaskSession session = new TaskSession(states, runner, poller, new TaskReturner(api, outbox, enrollment,
                    identity, clock, random, timing),
                    new Quarantine(config.lifecycle().quarantineFastFailures(), clock), timing, metrics,
                    options.single());
            Worker worker = new Worker(api, enrollment, new FetchGate(outbox, preTaskCheck, states, timing), states,
                    session, timing, random);
            ShutdownCoordinator coordinator = new ShutdownCoordinator(worker, outbox, sender::flush, api,
                    () -> runner.stopNow(FORCED_KILL_WAIT), clock, config.lifecycle().shutdownTimeout());
            running.attach(coordinator);
            api.onReachable(sender::wake);
            sender.start();
            poller.start();
            if (options.test()) {
                acks.ack(WorkerStatus.TESTING);
            }
            requestedAtSignOn.ifPresent(worker::signOnRequested);
            worker.start();
            if (!signals.running(worker, coordinator)) {
                coordinator.begin("stop requested while starting", DaemonResult.clean());
            }
            DaemonResult result = signals.forcedDuringStartup().applyToEither(coordinator.result(), r -> r).join();
            shutDown(worker, enrollment);
            return result;
        }
    }

    private PreTaskCheck preTaskCheck() {
        return new PreTaskCheck(config.preTask().readPaths(), config.preTask().writePaths(),
                config.preTask().timeout());
    }

    private void shutDown(Worker worker, Enrollment enrollment) {
        if (options.verbose()) {
            LOG.info("Status at shutdown: {}", worker.describe());
        }
        enrollment.close();
        LOG.info("Flamenco Worker is shut down");
    }

    /** Startup step 6: stop a subprocess left by a crashed earlier run. */
    private PidFileGuard pidFileGuard(TaskRuntime runtime) throws InterruptedException {
        if (config.subprocess().pidFile().isEmpty()) {
            LOG.warn("subprocess_pid_file is empty: nothing guards against two renders running at once");
            return PidFileGuard.disabled();
        }
        PidFileGuard guard = runtime.pidFile();
        guard.cleanUpLeftover(config.subprocess().killGrace());
        return guard;
    }

    /** Startup step 7: the configured URL, or SSDP discovery; empty when nothing answered. */
    private Optional<URI> managerUrl() throws InterruptedException {
        Optional<URI> configured = config.manager().uri();
        if (configured.isPresent()) {
            return configured;
        }
        LOG.info("manager_url is empty; looking for a Flamenco Manager via UPnP/SSDP");
        try {
            return new SsdpDiscovery(clock, base -> ProtocolProbe.confirmsFlamenco3(v2Settings(base))).discover();
        } catch (InterruptedException e) {
            return Optional.empty();
        }
    }

    /** Flamenco 3 previews: PNG/JPEG/TIFF re-encoded as JPEG with the JDK's ImageIO (protocol-v3.md §7). */
    private static PreviewEncoder previewEncoder() {
        return new ImageIoPreviewEncoder();
    }

    private V2Settings v2Settings(URI url) {
        V2Settings s = V2Settings.defaults(url.toString()).withTimeouts(config.manager().connectTimeout(),
                config.manager().readTimeout());
        return config.manager().caFile().map(s::withCaFile).orElse(s);
    }

    private String nickname() {
        return config.manager().nickname().isEmpty() ? HostName.defaultNickname()
                : config.manager().nickname();
    }

    private static String platform() {
        Platform p = Platform.current();
        if (!p.known()) {
            LOG.warn("Unknown platform '{}': the Manager's variables may have no value for it", p.wireName());
        }
        return p.wireName();
    }
}
