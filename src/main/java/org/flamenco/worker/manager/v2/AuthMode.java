package org.flamenco.worker.manager.v2;

/** Request tag: which authorization a request carries (protocol-v2.md §1.2, protocol-v3.md §1). */
public enum AuthMode {
    /** Pre-emptive Basic auth with the current worker credentials. */
    BASIC,
    /**
     * No Basic auth (registration, the v3 version probe); a v2 Bearer token may be set on the request itself.
     */
    NONE
}
