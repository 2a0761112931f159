package org.flamenco.worker.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.flamenco.worker.manager.CredentialsGuard;

/** Counts 401 reports and answers with a fixed verdict. */
public final class RecordingCredentialsGuard implements CredentialsGuard {
    private final AtomicInteger calls = new AtomicInteger();
    private final boolean renewed;

    public RecordingCredentialsGuard(boolean renewed) {
        this.renewed = renewed;
    }

    @Override
    public boolean onUnauthorized(Duration maxWait) {
        calls.incrementAndGet();
        return renewed;
    }

    public int calls() {
        return calls.get();
    }
}
