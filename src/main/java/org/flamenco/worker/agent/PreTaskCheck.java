package org.flamenco.worker.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.flamenco.worker.model.PathProbe;

/**
 * The pre-task check (worker-behaviour.md §10): read checks, then write checks (the probes of {@link PathProbe},
 * shared with {@code doctor}), each with a time limit so a hung network mount cannot hang the worker. A path whose
 * earlier check still hangs fails at once. Blocking; called from the fetch loop only.
 */
public final class PreTaskCheck implements AutoCloseable {
    private final List<Path> readPaths;
    private final List<Path> writePaths;
    private final Duration timeout;
    private final Set<Path> hanging = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fw-pre-task-check");
        t.setDaemon(true);
        return t;
    });

    public PreTaskCheck(List<Path> readPaths, List<Path> writePaths, Duration timeout) {
        this.readPaths = List.copyOf(readPaths);
        this.writePaths = List.copyOf(writePaths);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public boolean isEmpty() {
        return readPaths.isEmpty() && writePaths.isEmpty();
    }

    /** @return the failure reason, or empty when every path passed */
    public Optional<String> run() throws InterruptedException {
        for (Path p : readPaths) {
            Optional<String> failure = timed(p, () -> PathProbe.read(p));
            if (failure.isPresent()) {
                return failure;
            }
        }
        for (Path p : writePaths) {
            Optional<String> failure = timed(p, () -> PathProbe.write(p));
            if (failure.isPresent()) {
                return failure;
            }
        }
        return Optional.empty();
    }

    private interface Check {
        Optional<String> run();
    }

    private Optional<String> timed(Path p, Check check) throws InterruptedException {
        if (hanging.contains(p)) {
            return Optional.of(p + ": an earlier check has not finished yet (storage not responding?)");
        }
        Future<Optional<String>> f = executor.submit(() -> {
            try {
                return check.run();
            } finally {
                hanging.remove(p);
            }
        });
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (!f.isDone()) {
                hanging.add(p);
            }
            return Optional.of(p + ": check did not finish within " + timeout.toSeconds()
                    + " s (storage not responding?)");
        } catch (ExecutionException e) {
            return Optional.of(p + ": " + e.getCause());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
