package org.flamenco.worker.process;

import java.util.OptionalLong;

/**
 * How many processes the kernel's out-of-memory killer has killed so far. Read before and after a subprocess runs:
 * when the count rose meanwhile, a SIGKILL the worker did not send is taken for an OOM kill.
 *
 * <p>Contract: thread-safe; non-blocking (reads small kernel files); never throws.
 */
@FunctionalInterface
public interface OomKillCounter {
    /** The count now; empty when this system does not tell. */
    OptionalLong oomKills();
}
