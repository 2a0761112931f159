package org.flamenco.worker.daemon;

import java.util.concurrent.CompletableFuture;

import org.flamenco.worker.agent.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes signals to whatever phase the process is in. During startup (discovery, registration) a shutdown signal
 * interrupts the starting thread (there is nothing to sign off yet) and a second one forces the exit; once running,
 * everything goes to the {@link ShutdownCoordinator} and the {@link Worker}.
 */
final class SignalRouter implements SignalHandlers.Target {
    private static final Logger LOG = LoggerFactory.getLogger(SignalRouter.class);

    private final Thread startupThread;
    private final CompletableFuture<DaemonResult> forcedDuringStartup = new CompletableFuture<>();
    private volatile boolean stopRequested;
    private volatile ShutdownCoordinator coordinator;
    private volatile Worker worker;

    SignalRouter(Thread startupThread) {
        this.startupThread = startupThread;
    }

    /** The worker runs: signals go to it from now on. Returns false when a stop was requested meanwhile. */
    boolean running(Worker runningWorker, ShutdownCoordinator runningCoordinator) {
        this.worker = runningWorker;
        this.coordinator = runningCoordinator;
        return !stopRequested;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    CompletableFuture<DaemonResult> forcedDuringStartup() {
        return forcedDuringStartup;
    }

    @Override
    public void shutdownSignal(int signalNumber, String name) {
        ShutdownCoordinator c = coordinator;
        if (c != null) {
            c.signal(signalNumber, name);
            return;
        }
        if (stopRequested) {
            forcedDuringStartup.complete(DaemonResult.forced(signalNumber));
            return;
        }
        stopRequested = true;
        LOG.info("Received {} while starting; stopping", name);
        startupThread.interrupt();
    }

    @Override
    public void sleepSignal() {
        Worker w = worker;
        if (w != null) {
            LOG.info("Received SIGUSR1: going to sleep");
            w.sleepRequested();
        }
    }

    @Override
    public void wakeSignal() {
        Worker w = worker;
        if (w != null) {
            LOG.info("Received SIGUSR2: waking up");
            w.wakeRequested();
        }
    }

    @Override
    public void statusSignal() {
        Worker w = worker;
        LOG.info("Status: {}", w == null ? "starting" : w.describe());
    }
}
