package org.flamenco.worker.doctor;

import java.util.Objects;

import org.flamenco.worker.process.PidFileException;
import org.flamenco.worker.process.PidFileGuard;

/**
 * Check 7: no subprocess named by {@code subprocess_pid_file} is still running (commands.md §2.8); the worker
 * refuses to start a render while one is. A stale file is deleted by the guard, as the worker would.
 */
final class PidFileCheck {
    static final String NAME = "subprocess-pid-file";

    private final PidFileGuard guard;

    PidFileCheck(PidFileGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    CheckResult run() {
        if (guard.file().isEmpty()) {
            return CheckResult.warn(NAME, "subprocess_pid_file is empty: nothing prevents two renders at once",
                    "set subprocess_pid_file unless several workers share this host on purpose");
        }
        try {
            guard.check();
            return CheckResult.ok(NAME, "no subprocess running (" + guard.file().get() + ")");
        } catch (PidFileException e) {
            return CheckResult.fail(NAME, e.getMessage(), "expected while this worker runs a task; otherwise "
                    + "another worker or a leftover render holds it: stop that process before starting the worker");
        }
    }
}
