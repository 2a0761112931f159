package org.flamenco.worker.process;

import java.util.Optional;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** jnr-posix with its native library, when that loads on this machine (it does on Linux and macOS, x86-64/arm64). */
final class NativePosix {
    private NativePosix() {
    }

    static Optional<POSIX> load() {
        try {
            POSIX posix = POSIXFactory.getNativePOSIX();
            return posix.isNative() ? Optional.of(posix) : Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }
}
