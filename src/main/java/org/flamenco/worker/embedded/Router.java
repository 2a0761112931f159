package org.flamenco.worker.embedded;

/** Answers one recorded call (the v2 or the v3 endpoints of an embedded Manager). */
interface Router {
    Reply handle(Call call);
}
