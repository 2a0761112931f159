package org.flamenco.worker.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.Passwd;

/**
 * {@code ~} as Python's {@code os.path.expanduser} finds it (worker-behaviour.md §1): {@code HOME} when it is set and
 * not empty, otherwise the account's home directory from the passwd database ({@code %USERPROFILE%} on Windows).
 * Never the JVM's own home-directory property alone: it ignores {@code HOME}, and for a uid without a passwd entry
 * (containers) it is {@code ?}. Empty when neither exists.
 */
final class UserHome {
    private UserHome() {
    }

    /** For this process. */
    static Optional<Path> ofThisProcess() {
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        return resolve(System.getenv(), windows, windows ? Optional::empty : UserHome::passwdHome);
    }

    /**
     * @param env         the environment variables
     * @param windows     whether this is Windows ({@code USERPROFILE}, then {@code HOMEDRIVE}+{@code HOMEPATH})
     * @param accountHome the passwd entry's home directory of the current uid, if it has one
     */
    static Optional<Path> resolve(Map<String, String> env, boolean windows, Supplier<Optional<String>> accountHome) {
        Optional<String> home = windows
                ? nonEmpty(env.get("HOME")).or(() -> nonEmpty(env.get("USERPROFILE")))
                        .or(() -> nonEmpty(env.get("HOMEDRIVE")).flatMap(d -> nonEmpty(env.get("HOMEPATH"))
                                .map(p -> d + p)))
                : nonEmpty(env.get("HOME")).or(accountHome);
        return home.map(Path::of);
    }

    private static Optional<String> nonEmpty(String value) {
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** {@code getpwuid(getuid())->pw_dir}; empty for a uid without an entry (or a platform without the call). */
    private static Optional<String> passwdHome() {
        try {
            POSIX posix = POSIXFactory.getNativePOSIX();
            Passwd entry = posix.getpwuid(posix.getuid());
            return entry == null ? Optional.empty() : nonEmpty(entry.getHome());
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }
}
