package org.flamenco.worker.daemon;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flamenco.worker.agent.WorkerTiming;
import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.blender.HelperScripts;
import org.flamenco.worker.config.ConfigException;
import org.flamenco.worker.config.CredentialsStore;
import org.flamenco.worker.config.ManagerSettings;
import org.flamenco.worker.config.RunOptions;
import org.flamenco.worker.config.WorkerConfig;
import org.flamenco.worker.manager.ManagerProtocol;
import org.flamenco.worker.manager.v2.V2Settings;
import org.flamenco.worker.manager.v3.ProtocolProbe;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.task.TaskDialect;

/**
 * What differs between a Flamenco 2 and a Flamenco 3 worker, decided once at startup (protocol-v3.md §8, §10):
 * the identity (v2's {@code [flamenco-worker]} keys or the {@code [flamenco-worker-v3]} section), the registration
 * secret (none in v3), the default task types, the commands and task dialect, and the loop timing.
 */
final class ProtocolSetup {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolSetup.class);
    /** The built-in {@code task_types} (v2 names); in v3 mode they mean "the v3 defaults". */
    static final List<String> V2_DEFAULT_TASK_TYPES = List.of("sleep", "blender-render", "file-management",
            "exr-merge", "video-encoding");
    /** The Flamenco 3 task types this worker runs (commands.md §7). */
    static final List<String> V3_DEFAULT_TASK_TYPES = List.of("blender", "ffmpeg", "file-management", "misc");
    /** The built-in {@code may_i_run_interval_seconds}: any other value was set on purpose (for v2). */
    private static final Duration V2_DEFAULT_MAY_I_RUN = Duration.ofSeconds(5);

    private final ManagerProtocol protocol;
    private final WorkerConfig config;
    private final RunOptions options;

    ProtocolSetup(ManagerProtocol protocol, WorkerConfig config, RunOptions options) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.config = Objects.requireNonNull(config, "config");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * {@code manager_protocol}: {@code v2} and {@code v3} as configured, {@code auto} by asking the Manager (retried
     * with the start-up backoff while it does not answer). The choice is logged once.
     */
    static ManagerProtocol decide(ManagerSettings manager, URI url, V2Settings settings, Clock clock,
                                  DoubleSupplier random) throws InterruptedException {
        ManagerProtocol chosen = switch (manager.protocol()) {
            case "v2" -> ManagerProtocol.V2;
            case "v3" -> ManagerProtocol.V3;
            default -> new ProtocolProbe(settings, clock, random, Backoff.REGISTRATION).await();
        };
        LOG.info("Talking to the Manager at {} with protocol {} (manager_protocol = {})", url, chosen.setting(),
                manager.protocol());
        return chosen;
    }

    ManagerProtocol protocol() {
        return protocol;
    }

    /** The stored identity of this protocol; none after {@code --reregister} (config has applied it for v2). */
    Credentials credentials() {
        if (protocol == ManagerProtocol.V2) {
            return config.credentials();
        }
        Credentials none = new Credentials("", Secret.empty());
        if (options.reregister()) {
            return none;
        }
        try {
            return v3Store().read();
        } catch (ConfigException e) {
            LOG.error("Cannot read the Flamenco 3 credentials: {}; registering as a new worker", e.getMessage());
            return none;
        }
    }

    /** Writes new credentials to this protocol's section; a failure is logged and the worker carries on. */
    void store(Credentials credentials) {
        CredentialsStore store = protocol == ManagerProtocol.V2 ? new CredentialsStore(config.credentialsFile())
                : v3Store();
        try {
            store.write(credentials);
        } catch (IOException e) {
            LOG.error("Could not write credentials to {}: {}. This worker will register as a new worker after its "
                    + "next restart", store.file(), e.getMessage());
        }
    }

    /** v2's {@code worker_registration_secret}; Flamenco 3 has no registration secret (warned about once). */
    Secret registrationSecret() {
        if (protocol == ManagerProtocol.V2) {
            return config.manager().registrationSecret();
        }
        if (!config.manager().registrationSecret().isEmpty()) {
            LOG.warn("worker_registration_secret is set but a Flamenco 3 Manager has no registration secret; "
                    + "it is not used (anything that reaches the Manager can register)");
        }
        return Secret.empty();
    }

    /** The configured task types; the built-in v2 list becomes the v3 names in v3 mode. */
    List<String> taskTypes() {
        if (protocol == ManagerProtocol.V3 && config.taskTypes().equals(V2_DEFAULT_TASK_TYPES)) {
            return V3_DEFAULT_TASK_TYPES;
        }
        if (protocol == ManagerProtocol.V3 && config.taskTypes().stream().noneMatch(V3_DEFAULT_TASK_TYPES::contains)) {
            LOG.warn("task_types = {} names no Flamenco 3 task type; this Manager will hand out no tasks (its types "
                    + "are {})", String.join(" ", config.taskTypes()), String.join(" ", V3_DEFAULT_TASK_TYPES));
        }
        return config.taskTypes();
    }

    /** v2: {@code may_i_run_interval_seconds}; v3: the Flamenco 3 timing, may-i-run every 10 s (§8). */
    WorkerTiming timing() {
        if (protocol == ManagerProtocol.V2) {
            return WorkerTiming.standard(config.lifecycle().mayIRunInterval());
        }
        if (!config.lifecycle().mayIRunInterval().equals(V2_DEFAULT_MAY_I_RUN)) {
            LOG.info("may_i_run_interval_seconds = {} applies to Flamenco 2 only; in Flamenco 3 mode may-i-run is "
                    + "asked every {} s", config.lifecycle().mayIRunInterval().toSeconds(),
                    WorkerTiming.FLAMENCO3_MAY_I_RUN.toSeconds());
        }
        return WorkerTiming.flamenco3();
    }

    TaskDialect dialect() {
        return protocol == ManagerProtocol.V2 ? TaskDialect.V2 : TaskDialect.V3;
    }

    /** The commands of this protocol's tasks (commands.md §2–§6 for v2, §7 for v3). */
    List<Command> commands(HelperScripts helpers, String searchPath) {
        return TaskRuntime.commands(dialect(), helpers, searchPath);
    }

    private CredentialsStore v3Store() {
        return new CredentialsStore(config.credentialsFile(), CredentialsStore.V3_SECTION);
    }
}
