package org.flamenco.worker.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.clock.DurationText;
import org.flamenco.worker.clock.Wakeup;
import org.flamenco.worker.manager.CredentialsGuard;
import org.flamenco.worker.manager.ManagerApi;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerOutcome;
import org.flamenco.worker.manager.ManagerProtocol;
import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.manager.SecretGenerator;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration and sign-on at startup (protocol-v2.md §3.1, §3.2) and the runtime credentials guard (§6).
 *
 * <p>Startup retries network/5xx/4xx-other answers with the registration backoff and never gives up on its own;
 * refusals (403, a second 401) end in {@link RegistrationRefusedException}.
 *
 * <p>At runtime an auth failure starts at most one re-registration per window, on its own thread
 * {@code fw-reregister}; it retries like the startup registration until the Manager answers. Every caller that
 * reports an auth failure meanwhile joins that one attempt and waits for it only as long as it chose
 * ({@link #onUnauthorized(Duration)}): no lock is held across the network, so a re-registration stuck in a Manager
 * outage never parks the fetch loop, the sender, the acks or the may-i-run poller (docs/decisions.md).
 */
public final class Enrollment implements CredentialsGuard, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Enrollment.class);

    private final ManagerApi manager;
    private final WorkerIdentity identity;
    private final Consumer<Credentials> persister;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Duration reregistrationWindow;
    private final Runnable onRefused;
    private final SecretGenerator secrets = new SecretGenerator();
    private final WorkerMetrics metrics;
    private final Object guardLock = new Object();
    /** The runtime re-registration in flight (completes with "new credentials in place"), or null. */
    private CompletableFuture<Boolean> reregistration;
    private Thread reregistrationThread;
    private long lastReregistrationNanos;
    private boolean reregisteredOnce;
    private boolean closed;
    private final ManagerProtocol protocol;

    /**
     * @param persister writes new credentials to the credentials file (errors are its own to log)
     * @param onRefused called when a runtime re-registration is refused: the daemon shuts down with exit 3
     * @param metrics   counts re-registrations
     */
    public Enrollment(ManagerApi manager, WorkerIdentity identity, Consumer<Credentials> persister, Clock clock,
                      DoubleSupplier random, Duration reregistrationWindow, Runnable onRefused,
                      WorkerMetrics metrics) {
        this(manager, identity, persister, clock, random, reregistrationWindow, onRefused, metrics,
                ManagerProtocol.V2);
    }

    /**
     * As the other constructors, for {@code protocol}. Flamenco 3 (protocol-v3.md §4) differs: a registration is
     * always followed by a sign-on (its answer names the state to enter), and a runtime auth failure first tries
     * one sign-on before registering again.
     */
    public Enrollment(ManagerApi manager, WorkerIdentity identity, Consumer<Credentials> persister, Clock clock,
                      DoubleSupplier random, Duration reregistrationWindow, Runnable onRefused,
                      WorkerMetrics metrics, ManagerProtocol protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.manager = Objects.requireNonNull(manager, "manager");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.persister = Objects.requireNonNull(persister, "persister");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.reregistrationWindow = Objects.requireNonNull(reregistrationWindow, "reregistrationWindow");
        this.onRefused = Objects.requireNonNull(onRefused, "onRefused");
    }

    /**
     * Startup step 8: register when credentials are missing, else sign on (re-registering once after an auth
     * failure).
     *
     * @return the status the Manager asked for at sign-on (v3), empty when it did not say (v2, or a fresh
     *     registration without sign-on)
     */
    public Optional<WorkerStatus> enroll() throws RegistrationRefusedException, InterruptedException {
        if (!identity.credentials().isComplete()) {
            register();
            if (protocol == ManagerProtocol.V2) {
                return Optional.empty(); // a v2 registration needs no sign-on
            }
        }
        manager.useCredentials(identity.credentials());
        Optional<Optional<WorkerStatus>> signedOn = signOn();
        if (signedOn.isPresent()) {
            return signedOn.get();
        }
        LOG.warn("Manager did not accept our credentials, going to re-register");
        register();
        metrics.reRegistered();
        signedOn = signOn();
        if (signedOn.isEmpty()) {
            throw new RegistrationRefusedException("The Manager refused sign-on (HTTP "
                    + (protocol == ManagerProtocol.V2 ? "401" : "403") + ") right after a fresh registration; check "
                    + "that nothing between worker and Manager demands other credentials");
        }
        return signedOn.get();
    }

    /** @return the sign-on answer when accepted, empty on an auth failure (caller re-registers) */
    private Optional<Optional<WorkerStatus>> signOn() throws RegistrationRefusedException, InterruptedException {
        int attempt = 0;
        while (true) {
            try {
                Optional<WorkerStatus> requested = manager.signOn(identity.taskTypes(), identity.nickname());
                LOG.info("Manager accepted sign-on");
                return Optional.of(requested);
            } catch (ManagerException e) {
                if (e.isAuthFailure()) {
                    return Optional.empty();
                }
                if (e.outcome() == ManagerOutcome.FORBIDDEN) {
                    throw new RegistrationRefusedException("The Manager refused sign-on with HTTP 403 (the worker "
                            + "record cannot be used): " + e.reply());
                }
                attempt++;
                Duration delay = Backoff.atLeast(Backoff.REGISTRATION.delay(attempt, random), e.retryAfter());
                LOG.warn("Sign-on failed ({}); retrying in {}", e.getMessage(), DurationText.compact(delay));
                clock.sleep(delay);
            }
        }
    }

    /** Registers with a new secret, retrying until the Manager answers; persists the new credentials. */
    private void register() throws RegistrationRefusedException, InterruptedException {
        Secret secret = secrets.next();
        int attempt = 0;
        while (true) {
            Registration registration = new Registration(secret, identity.platform(), identity.taskTypes(),
                    identity.nickname(), identity.registrationSecret());
            try {
                String workerId = manager.register(registration);
                Credentials credentials = new Credentials(workerId, secret);
                identity.setCredentials(credentials);
                manager.useCredentials(credentials);
                LOG.info("Registered at the Manager as worker {}", workerId);
                persister.accept(credentials);
                return;
            } catch (ManagerException e) {
                if (e.outcome() == ManagerOutcome.FORBIDDEN) {
                    throw new RegistrationRefusedException("The Manager refused registration (HTTP 403: "
                            + e.reply().strip() + "). Check worker_registration_secret against the Manager's "
                            + "registration secret, and that this machine's clock is not far off the Manager's "
                            + "(the token's iat/exp are checked)");
                }
                if (e.isAuthFailure()) {
                    throw new RegistrationRefusedException("Registration was answered with HTTP 401; the Manager "
                            + "itself never does that, so a proxy between worker and Manager demands credentials");
                }
                attempt++;
                Duration delay = Backoff.atLeast(Backoff.REGISTRATION.delay(attempt, random), e.retryAfter());
                LOG.warn("Registration failed ({}); retrying in {}", e.getMessage(), DurationText.compact(delay));
                clock.sleep(delay);
            }
        }
    }

    @Override
    public boolean onUnauthorized(Duration maxWait) throws InterruptedException {
        CompletableFuture<Boolean> attempt = joinOrStartReregistration();
        if (attempt == null) {
            return false;
        }
        // Waits on the clock (a fake one in tests), woken when the attempt completes.
        Wakeup done = clock.newWakeup();
        attempt.whenComplete((renewed, error) -> done.wake());
        long deadline = clock.nanoTime() + Math.max(0, maxWait.toNanos());
        while (!attempt.isDone()) {
            if (clock.nanoTime() >= deadline) {
                LOG.debug("Re-registration still under way after {}; carrying on with backoff",
                        DurationText.compact(maxWait));
                return false;
            }
            done.awaitUntil(deadline);
        }
        return attempt.getNow(false);
    }

    /** The re-registration in flight, a new one, or null inside the window after the last one (or when closed). */
    private CompletableFuture<Boolean> joinOrStartReregistration() {
        synchronized (guardLock) {
            if (reregistration != null || closed) {
                return reregistration;
            }
            long now = clock.nanoTime();
            if (reregisteredOnce && now - lastReregistrationNanos < reregistrationWindow.toNanos()) {
                LOG.warn("The Manager refused our credentials again within {} min of the last re-registration; "
                        + "treating it as a transient failure", reregistrationWindow.toMinutes());
                return null;
            }
            reregisteredOnce = true;
            lastReregistrationNanos = now;
            LOG.warn("The Manager did not recognise this worker (HTTP {}); {}. The old worker entry may remain on "
                    + "the Manager", protocol == ManagerProtocol.V2 ? 401 : 403,
                    protocol == ManagerProtocol.V2 ? "registering again" : "signing on again, then registering again");
            CompletableFuture<Boolean> attempt = new CompletableFuture<>();
            reregistration = attempt;
            reregistrationThread = new Thread(() -> reregister(attempt), "fw-reregister");
            reregistrationThread.setDaemon(true);
            reregistrationThread.start();
            return attempt;
        }
    }

    /** Thread {@code fw-reregister}: registers (retrying until the Manager answers) and completes {@code attempt}. */
    private void reregister(CompletableFuture<Boolean> attempt) {
        boolean renewed = false;
        try {
            if (protocol == ManagerProtocol.V3) {
                Optional<Boolean> accepted = signOnAgain();
                if (accepted.isEmpty() || accepted.get()) {
                    renewed = accepted.isPresent(); // unanswered: the callers back off (this window is used up)
                    return;
                }
            }
            register();
            metrics.reRegistered();
            if (protocol == ManagerProtocol.V3) {
                signOnAgain(); // v3: a registration is followed by a sign-on; its failure shows in the next call
            }
            renewed = true;
        } catch (RegistrationRefusedException e) {
            LOG.error("Re-registration refused: {}", e.getMessage());
            onRefused.run();
        } catch (InterruptedException e) {
            LOG.info("Re-registration abandoned: the worker is shutting down");
        } catch (RuntimeException e) {
            LOG.error("Re-registration failed unexpectedly: {}", e.toString(), e);
        } finally {
            synchronized (guardLock) {
                reregistration = null;
                reregistrationThread = null;
            }
            attempt.complete(renewed);
        }
    }

    /** Abandons a runtime re-registration in flight (shutdown); later auth failures start none. */
    @Override
    public void close() {
        Thread running;
        synchronized (guardLock) {
            closed = true;
            running = reregistrationThread;
        }
        if (running != null) {
            running.interrupt();
        }
    }

    /**
     * v3: one sign-on with the credentials the Manager just refused. True when it accepts them (the Manager then has
     * the worker as {@code starting}; the fetch loop's next answer, 423 or 409, brings it back to a state); false
     * when it refuses them too (register again); empty when it could not be asked now.
     */
    private Optional<Boolean> signOnAgain() {
        try {
            manager.signOn(identity.taskTypes(), identity.nickname());
            LOG.warn("The Manager refused this worker's credentials (HTTP 403) but accepted a new sign-on with them");
            return Optional.of(true);
        } catch (ManagerException e) {
            if (e.isAuthFailure()) {
                return Optional.of(false);
            }
            LOG.warn("The Manager refused this worker's credentials (HTTP 403) and a new sign-on failed ({}); "
                    + "treating it as a transient failure", e.getMessage());
            return Optional.empty();
        }
    }
}
