package org.flamenco.worker.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the embedded Manager: a JDK {@link HttpServer} on loopback that can go down and come back on
 * the same port, served by one pool of {@code fw-embedded-manager-N} threads that lives until {@link #close()}.
 * Thread-safe.
 */
final class HttpFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
    private static final int THREADS = 8;

    private final HttpHandler handler;
    private final Runnable onStop;
    private final ExecutorService executor;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private int port;
    private boolean closed;

    /** @param onStop runs before the server stops (lets slow replies in flight give up) */
    HttpFront(HttpHandler handler, Runnable onStop) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.onStop = Objects.requireNonNull(onStop, "onStop");
        AtomicInteger threadNo = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "fw-embedded-manager-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
    }

    synchronized void start(int requestedPort) throws IOException {
        if (closed || server != null) {
            throw new IllegalStateException(closed ? "closed" : "already running");
        }
        bind(requestedPort);
        LOG.info("Embedded Flamenco Manager listening on http://127.0.0.1:{}/", port);
    }

    synchronized void stop() {
        if (server == null) {
            return;
        }
        onStop.run();
        server.stop(0);
        server = null;
        LOG.info("Embedded Flamenco Manager on port {} stopped", port);
    }

    synchronized void restart() throws IOException {
        if (closed || port == 0) {
            throw new IllegalStateException(closed ? "closed" : "never started");
        }
        if (server == null) {
            bind(port);
            LOG.info("Embedded Flamenco Manager on port {} restarted", port);
        }
    }

    synchronized boolean isRunning() {
        return server != null;
    }

    synchronized int port() {
        return port;
    }

    @Override
    public void close() {
        synchronized (this) {
            stop();
            closed = true;
        }
        executor.shutdownNow();
        try {
            // The pool reports termination just before its threads exit; join them so none outlives close().
            if (executor.awaitTermination(5, TimeUnit.SECONDS)) {
                for (Thread t : threads) {
                    t.join(TimeUnit.SECONDS.toMillis(1));
                }
            }
            List<String> left = threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
            if (!left.isEmpty()) {
                LOG.warn("embedded Manager threads still running after close: {}", left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void bind(int requestedPort) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 64);
        s.createContext("/", handler);
        s.setExecutor(executor);
        s.start();
        server = s;
        port = s.getAddress().getPort();
    }
}
