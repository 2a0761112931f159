package org.flamenco.worker.doctor;

import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.config.ConfigException;
import org.flamenco.worker.config.CredentialsStore;
import org.flamenco.worker.config.WorkerConfig;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.v3.V3ManagerApi;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.WorkerStatus;

/**
 * Check 3 for a Flamenco 3 Manager: the {@code [flamenco-worker-v3]} identity of the credentials file is present
 * and accepted. Asks {@code GET /api/v3/worker/state} with Basic auth (protocol-v3.md §2): it only reads the pending
 * status request and never changes the worker's state on the Manager.
 */
final class V3CredentialsCheck {
    private final WorkerConfig config;
    private final Optional<String> managerUrl;
    private final Clock clock;

    /** @param managerUrl the Manager that answered as Flamenco 3 in the previous check, if any */
    V3CredentialsCheck(WorkerConfig config, Optional<String> managerUrl, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.managerUrl = Objects.requireNonNull(managerUrl, "managerUrl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    CheckResult run() {
        Credentials credentials;
        try {
            credentials = new CredentialsStore(config.credentialsFile(), CredentialsStore.V3_SECTION).read();
        } catch (ConfigException e) {
            return CheckResult.fail(CredentialsCheck.NAME, e.getMessage(), "fix or remove "
                    + config.credentialsFile() + "; the worker writes it itself");
        }
        if (!credentials.isComplete()) {
            return CheckResult.warn(CredentialsCheck.NAME, "no Flamenco 3 identity yet (no ["
                    + CredentialsStore.V3_SECTION + "] worker_id/worker_secret in " + config.credentialsFile() + ")",
                    "none needed: the worker registers at its first start and stores them there");
        }
        String who = "Flamenco 3 worker " + credentials.workerId() + " (from " + config.credentialsFile() + ")";
        if (managerUrl.isEmpty()) {
            return CheckResult.warn(CredentialsCheck.NAME, who + ": not checked, the Manager is not reachable",
                    "fix the manager check first");
        }
        try (V3ManagerApi api = new V3ManagerApi(ManagerCheck.settings(config.manager(), managerUrl.get()), false,
                image -> Optional.empty(), clock)) {
            api.useCredentials(credentials);
            Optional<WorkerStatus> pending = api.statusChange();
            return CheckResult.ok(CredentialsCheck.NAME, who + " is accepted by the Manager"
                    + pending.map(s -> " (a change to '" + s.wire() + "' is waiting for it)").orElse(""));
        } catch (ManagerException e) {
            if (e.isAuthFailure()) {
                return CheckResult.fail(CredentialsCheck.NAME, who + " is refused by the Manager (403: unknown or "
                        + "deleted worker, or wrong secret)", "at its next start the worker registers as a new "
                        + "worker; to do that now and on purpose run flamenco-worker -r");
            }
            return CheckResult.fail(CredentialsCheck.NAME, who + ": GET /api/v3/worker/state failed: "
                    + e.getMessage(), "check the Manager's log for this worker id");
        }
    }
}
