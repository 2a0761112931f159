package org.flamenco.worker.process;

import java.io.IOException;

/**
 * {@link ProcessLauncher} for Linux and macOS: starts argv through {@code setsid} so the child leads a new session
 * and process group. Thread-safe.
 */
public final class PosixProcessLauncher implements ProcessLauncher {
    public PosixProcessLauncher() {
    }

    @Override
    public ChildProcess start(LaunchRequest request) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }
}
