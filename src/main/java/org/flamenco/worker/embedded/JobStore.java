package org.flamenco.worker.embedded;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The "database" both embedded Managers share the rules of: workers, jobs and tasks, Basic authentication, the
 * task hand-out order (a worker's own active task first, then the first runnable task whose type it supports, whose
 * job runs and whose parents are completed, that it has not failed) and the soft-fail count. The protocol's store
 * ({@link V2Store}, {@link V3Store}) adds its ids, rows and what else it records. Guarded by the lock of the
 * {@link ManagerState} it lives beside; every method is called under that lock.
 *
 * @param <S> the task spec a job is added with
 * @param <R> the task row
 * @param <W> the worker row
 */
abstract class JobStore<S extends JobTaskSpec, R extends TaskRow<?>, W extends WorkerRow<?>> {
    private static final List<String> RUNNABLE_JOB_STATUSES = List.of("queued", "active");

    private final ManagerState state;
    final Map<String, W> workers = new LinkedHashMap<>();
    final Map<String, R> tasks = new LinkedHashMap<>();
    final Map<String, String> jobStatuses = new LinkedHashMap<>();
    /** How many different workers may fail a task before it is {@code failed} rather than soft-failed. */
    int failuresBeforeHardFail = 1;

    JobStore(ManagerState state) {
        this.state = Objects.requireNonNull(state, "state");
    }

    /** The Manager's clock: when a request arrived, for {@code lastSeen} and what is recorded. */
    final Instant now() {
        return state.now();
    }

    /** A fresh id in the protocol's format, unique per Manager. */
    abstract String newId();

    /** The row for {@code spec}, queued. */
    abstract R newRow(String id, String jobId, S spec, List<String> parentIds);

    /** Adds a job whose tasks are queued in the given order; parents are task names of the same job. */
    final AddedJob addJob(String name, List<? extends S> specs) {
        Objects.requireNonNull(name, "name");
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("job " + name + " has no tasks");
        }
        Map<String, String> ids = new LinkedHashMap<>();
        for (S spec : specs) {
            if (ids.put(spec.name(), newId()) != null) {
                throw new IllegalArgumentException("job " + name + " has two tasks called " + spec.name());
            }
        }
        String jobId = newId();
        List<R> rows = new ArrayList<>();
        for (S spec : specs) {
            List<String> parentIds = new ArrayList<>();
            for (String parent : spec.parents()) {
                String parentId = ids.get(parent);
                if (parentId == null) {
                    throw new IllegalArgumentException("task " + spec.name() + " of job " + name
                            + " names unknown parent " + parent);
                }
                parentIds.add(parentId);
            }
            rows.add(newRow(ids.get(spec.name()), jobId, spec, parentIds));
        }
        rows.forEach(t -> tasks.put(t.id, t));
        jobStatuses.put(jobId, "queued");
        return new AddedJob(jobId, name, ids);
    }

    /** The task {@code taskId}; a test naming a task that does not exist is a mistake in the test. */
    final R existingTask(String taskId) {
        R t = tasks.get(taskId);
        if (t == null) {
            throw new IllegalArgumentException("no task " + taskId);
        }
        return t;
    }

    /** The worker {@code workerId}; a test naming a worker that does not exist is a mistake in the test. */
    final W existingWorker(String workerId) {
        W w = workers.get(workerId);
        if (w == null) {
            throw new IllegalArgumentException("no worker " + workerId);
        }
        return w;
    }

    /** The worker whose id and secret an {@code Authorization: Basic …} header carries, if any. */
    final Optional<W> authenticate(String authorization) {
        if (authorization.length() < 6 || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        W w = colon < 0 ? null : workers.get(decoded.substring(0, colon));
        if (w == null || !MessageDigest.isEqual(w.secret.getBytes(StandardCharsets.UTF_8),
                decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(w);
    }

    /** The active task assigned to {@code workerId}, which it gets again from a task request. */
    final Optional<R> ownActiveTask(String workerId) {
        return tasks.values().stream().filter(t -> t.isActive() && workerId.equals(t.workerId)).findFirst();
    }

    /** The next task {@code w} may run, now {@code active} and assigned to it (its job too is active then). */
    final Optional<R> claimNext(W w) {
        Optional<R> next = tasks.values().stream().filter(t -> mayRun(t, w)).findFirst();
        next.ifPresent(t -> {
            t.status = "active";
            t.workerId = w.id;
            t.activity = "";
            jobStatuses.put(t.jobId, "active");
        });
        return next;
    }

    private boolean mayRun(R t, W w) {
        if (!t.isRunnable() || !w.supportedTaskTypes.contains(t.taskType) || t.failedByWorkers.contains(w.id)) {
            return false;
        }
        if (!RUNNABLE_JOB_STATUSES.contains(jobStatuses.getOrDefault(t.jobId, "active"))) {
            return false;
        }
        for (String parent : t.parentIds) {
            R p = tasks.get(parent);
            if (p == null || !"completed".equals(p.status)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Records that {@code workerId} failed the task and sets it {@code failed} once enough different workers have,
     * else {@code soft-failed}.
     *
     * @return whether the task is now {@code soft-failed} (another worker may still run it)
     */
    final boolean fail(R t, String workerId) {
        if (!t.failedByWorkers.contains(workerId)) {
            t.failedByWorkers.add(workerId);
        }
        boolean soft = t.failedByWorkers.size() < failuresBeforeHardFail;
        t.status = soft ? "soft-failed" : "failed";
        return soft;
    }
}
