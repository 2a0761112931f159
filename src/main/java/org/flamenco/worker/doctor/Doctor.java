package org.flamenco.worker.doctor;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.config.ConfigLoader;
import org.flamenco.worker.config.LoadedConfig;
import org.flamenco.worker.config.WorkerConfig;
import org.flamenco.worker.manager.ManagerProtocol;
import org.flamenco.worker.manager.SsdpDiscovery;
import org.flamenco.worker.manager.v2.V2Settings;
import org.flamenco.worker.manager.v3.ProtocolProbe;
import org.flamenco.worker.process.LauncherKind;
import org.flamenco.worker.process.PidFileGuard;
import org.flamenco.worker.process.SubprocessPriority;

/**
 * The {@code flamenco-worker doctor} preflight: the checks in order, each a class of its own. Config first (nothing
 * else can run without it), then Manager, credentials, credentials file, update queue, pre-task paths, subprocess
 * PID file, Blender, FFmpeg, disk space, and memory with the subprocesses' OOM score and niceness. Blocking; takes
 * seconds (network timeouts, tool start-up), and up to the discovery time when {@code manager_url} is empty. Never
 * changes the worker's state on the Manager and never creates the update queue.
 */
public final class Doctor {
    private final Path workingDir;
    private final Optional<Path> homeDir;
    private final String searchPath;
    private final Clock clock;
    private final SsdpDiscovery discovery;

    /**
     * @param workingDir the worker's working directory (relative configuration paths)
     * @param homeDir    {@code ~}
     * @param searchPath the {@code PATH} the worker would run with (where Blender and FFmpeg are looked up)
     * @param discovery  used only when {@code manager_url} is empty
     */
    private static final int DISCOVERY_ROUNDS = 2;
    private static final Duration DISCOVERY_LISTEN = Duration.ofSeconds(4);
    private static final Duration DISCOVERY_CONFIRM = Duration.ofSeconds(2);

    /** The doctor for this machine: the system clock and a shortened SSDP search on the standard address. */
    public static Doctor standard(Path workingDir, Optional<Path> homeDir, String searchPath) {
        Clock clock = new SystemClock();
        SsdpDiscovery discovery = new SsdpDiscovery(clock,
                List.of(new InetSocketAddress("239.255.255.250", 1900)), DISCOVERY_ROUNDS, DISCOVERY_LISTEN,
                base -> ProtocolProbe.confirmsFlamenco3(V2Settings.defaults(base.toString())
                        .withTimeouts(DISCOVERY_CONFIRM, DISCOVERY_CONFIRM)));
        return new Doctor(workingDir, homeDir, searchPath, clock, discovery);
    }

    public Doctor(Path workingDir, Optional<Path> homeDir, String searchPath, Clock clock, SsdpDiscovery discovery) {
        this.workingDir = Objects.requireNonNull(workingDir, "workingDir");
        this.homeDir = Objects.requireNonNull(homeDir, "homeDir");
        this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.discovery = Objects.requireNonNull(discovery, "discovery");
    }

    /** Runs every check; with {@code -c FILE} the configuration comes from {@code explicitFile}. */
    public DoctorReport run(Optional<Path> explicitFile) throws InterruptedException {
        ConfigCheck.Outcome configured = new ConfigCheck(new ConfigLoader(workingDir, homeDir), explicitFile).run();
        if (configured.loaded().isEmpty()) {
            return new DoctorReport(false, List.of(configured.result()));
        }
        LoadedConfig loaded = configured.loaded().get();
        WorkerConfig config = loaded.config();
        List<CheckResult> results = new ArrayList<>();
        results.add(configured.result());
        ManagerCheck.Outcome manager = new ManagerCheck(config.manager(), clock, discovery).run();
        results.add(manager.result());
        results.add(manager.protocol() == ManagerProtocol.V3
                ? new V3CredentialsCheck(config, manager.reachableUrl(), clock).run()
                : new CredentialsCheck(config, manager.reachableUrl(), clock, loaded.identityOrigin()).run());
        results.add(new CredentialsFileCheck(config.credentialsFile()).run());
        results.add(new QueueCheck(config.queue().db()).run());
        results.add(new PreTaskPathsCheck(config.preTask().readPaths(), config.preTask().writePaths(),
                config.preTask().timeout()).run());
        results.add(new PidFileCheck(config.subprocess().pidFile().map(file -> new PidFileGuard(file, clock))
                .orElseGet(PidFileGuard::disabled)).run());
        results.add(ToolCheck.blender(searchPath).run(config.taskTypes()));
        results.add(ToolCheck.ffmpeg(searchPath).run(config.taskTypes()));
        Map<String, Path> places = new LinkedHashMap<>();
        places.put("working directory", config.workingDir());
        places.put("queue", config.queue().db().toAbsolutePath().getParent());
        results.add(new DiskSpaceCheck(places).run());
        String os = System.getProperty("os.name", "");
        LauncherKind launcher = launcherOrPortable(config.subprocess().launcher(), os);
        results.add(new ResourcesCheck(new SubprocessPriority(config.subprocess().oomScoreAdjust(),
                config.subprocess().nice()),
                config.workingDir(), clock, launcher).run());
        results.add(new LauncherCheck(config.subprocess().launcher(), os, config.workingDir(), clock).run());
        return new DoctorReport(true, results);
    }

    /** The launcher the worker would use; a setting this OS refuses is reported by {@link LauncherCheck}. */
    private static LauncherKind launcherOrPortable(String setting, String os) {
        try {
            return LauncherKind.select(setting, os);
        } catch (IllegalArgumentException e) {
            return LauncherKind.PORTABLE;
        }
    }
}
