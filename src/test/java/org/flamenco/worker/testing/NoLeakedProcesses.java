package org.flamenco.worker.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After each test: no child process of the test JVM may be left (a short grace for the reaper). Leftovers are
 * killed so the next test starts clean, and the test fails.
 */
public final class NoLeakedProcesses implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        try {
            await().atMost(Duration.ofSeconds(3)).until(() -> leftovers().isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<ProcessHandle> left = leftovers();
            String described = left.stream().map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
                    .collect(Collectors.joining(", "));
            left.forEach(ProcessHandle::destroyForcibly);
            throw new AssertionError("child processes left behind: " + described, e);
        }
    }

    /** Living descendants of the test JVM. */
    public static List<ProcessHandle> leftovers() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).collect(Collectors.toList());
    }
}
