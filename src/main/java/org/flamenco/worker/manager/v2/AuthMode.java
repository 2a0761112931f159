package org.flamenco.worker.manager.v2;

/** Request tag: which authorization a request carries (protocol-v2.md §1.2). */
enum AuthMode {
    /** Pre-emptive Basic auth with the current worker credentials. */
    BASIC,
    /** No Basic auth ({@code POST /register-worker}); a Bearer token may be set on the request itself. */
    NONE
}
