package org.flamenco.worker.doctor;

import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.config.WorkerConfig;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.v2.V2ManagerApi;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.WorkerStatus;

/**
 * Check 3: {@code worker_id}/{@code worker_secret} are present and the Manager accepts them. Asks
 * {@code GET /status-change} with Basic auth (protocol-v2.md §3.7): it marks the worker as seen but, unlike
 * {@code /task}, {@code /may-i-run} or {@code /sign-on}, never changes its status on the Manager.
 */
final class CredentialsCheck {
    static final String NAME = "credentials";

    private final WorkerConfig config;
    private final Optional<String> managerUrl;
    private final Clock clock;
    private final String identityOrigin;

    CredentialsCheck(WorkerConfig config, Optional<String> managerUrl, Clock clock) {
        this(config, managerUrl, clock, config.credentialsFile().toString());
    }

    /**
     * @param managerUrl     the Manager that answered as v2 in the previous check, if any
     * @param identityOrigin the file {@code worker_id} really came from (worker-behaviour.md §2.2)
     */
    CredentialsCheck(WorkerConfig config, Optional<String> managerUrl, Clock clock, String identityOrigin) {
        this.config = Objects.requireNonNull(config, "config");
        this.identityOrigin = Objects.requireNonNull(identityOrigin, "identityOrigin");
        this.managerUrl = Objects.requireNonNull(managerUrl, "managerUrl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    CheckResult run() {
        Credentials credentials = config.credentials();
        if (!credentials.isComplete()) {
            return CheckResult.warn(NAME, "no worker_id/worker_secret yet (looked in the configuration and "
                    + config.credentialsFile() + ")", "none needed: the worker registers at its first start and "
                    + "stores them in " + config.credentialsFile());
        }
        String who = "worker " + credentials.workerId() + " (from " + identityOrigin + ")";
        if (managerUrl.isEmpty()) {
            return CheckResult.warn(NAME, who + ": not checked, the Manager is not reachable",
                    "fix the manager check first");
        }
        try (V2ManagerApi api = new V2ManagerApi(ManagerCheck.settings(config.manager(), managerUrl.get()), clock)) {
            api.useCredentials(credentials);
            Optional<WorkerStatus> pending = api.statusChange();
            return CheckResult.ok(NAME, who + " is accepted by the Manager"
                    + pending.map(s -> " (a status change to '" + s.wire() + "' is waiting for it)").orElse(""));
        } catch (ManagerException e) {
            return classify(who, e);
        }
    }

    private CheckResult classify(String who, ManagerException e) {
        if (e.isAuthFailure()) {
            return CheckResult.fail(NAME, who + " is refused by the Manager (401: unknown worker or wrong secret; "
                    + "was the Manager's database reset or the worker removed?)", "at its next start the worker "
                    + "registers as a new worker (the old entry stays on the Manager); to do that now and on "
                    + "purpose run flamenco-worker -r, or correct worker_id/worker_secret in "
                    + config.credentialsFile());
        }
        if (e.kind() == ManagerException.Kind.NETWORK) {
            ManagerCheck.Trouble t = ManagerCheck.trouble(e, managerUrl.orElse(""));
            return CheckResult.fail(NAME, who + ": " + t.detail(), t.hint());
        }
        return CheckResult.fail(NAME, who + ": GET /status-change answered HTTP " + e.status()
                + (e.reply().isBlank() ? "" : " (" + e.reply().strip() + ")"),
                "check the Manager's log for this worker id");
    }
}
