package org.flamenco.worker.doctor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.flamenco.worker.model.PathProbe;

/**
 * Check 6: the {@code [pre_task_check]} paths pass the worker's probes ({@link PathProbe}, worker-behaviour.md §10),
 * each within {@code pre_task_check_timeout_seconds}. Unlike the worker, which stops at the first failure, every
 * path is checked and every failure listed. An existing file is opened for appending and closed unwritten: never
 * modified.
 */
final class PreTaskPathsCheck {
    static final String NAME = "pre-task-check";
    private static final String HINT = "the worker stays in 'error' (asking the Manager for nothing) until these "
            + "pass: mount the storage and give the worker's user access, or fix [pre_task_check]";

    private final List<Path> readPaths;
    private final List<Path> writePaths;
    private final Duration timeout;

    PreTaskPathsCheck(List<Path> readPaths, List<Path> writePaths, Duration timeout) {
        this.readPaths = List.copyOf(readPaths);
        this.writePaths = List.copyOf(writePaths);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    CheckResult run() throws InterruptedException {
        if (readPaths.isEmpty() && writePaths.isEmpty()) {
            return CheckResult.ok(NAME, "no [pre_task_check] paths configured");
        }
        List<String> failures = new ArrayList<>();
        // Daemon threads: a check stuck on a hung mount must not keep the doctor alive.
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fw-doctor-pre-task-check");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Path p : readPaths) {
                timed(executor, p, () -> PathProbe.read(p)).ifPresent(failures::add);
            }
            for (Path p : writePaths) {
                timed(executor, p, () -> PathProbe.write(p)).ifPresent(failures::add);
            }
        } finally {
            executor.shutdownNow();
        }
        int total = readPaths.size() + writePaths.size();
        if (failures.isEmpty()) {
            return CheckResult.ok(NAME, total + " path(s) readable/writable as configured");
        }
        return CheckResult.fail(NAME, String.join("; ", failures), HINT);
    }

    private Optional<String> timed(ExecutorService executor, Path p, Callable<Optional<String>> check)
            throws InterruptedException {
        Future<Optional<String>> f = executor.submit(check);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return Optional.of(p + ": check did not finish within " + timeout.toSeconds()
                    + " s (storage not responding?)");
        } catch (ExecutionException e) {
            return Optional.of(p + ": " + e.getCause());
        }
    }
}
