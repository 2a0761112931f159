/**
 * A loopback Flamenco v2 Manager for the {@code demo} command and for end-to-end tests; never used by worker code.
 *
 * <p>{@link org.flamenco.worker.embedded.EmbeddedManager} serves every worker-facing endpoint with the real
 * Manager's semantics (protocol-v2.md): registration (open or with an HS256 registration token), Basic auth with
 * the exact 401 reply, {@code /task} hand-out rules (423, 406, own active task again, task types, parents),
 * Go-like JSON type checks (400 {@code Unable to decode JSON: ...}), 404/409 on updates, return, may-i-run reasons,
 * status changes and acks, sign-off re-queueing, output notices. Jobs are added with
 * {@link org.flamenco.worker.embedded.TaskSpec}s; everything received is recorded and can be awaited. Faults:
 * stop/restart on the same port, canned replies ({@link org.flamenco.worker.embedded.CannedReply}: 5xx, 429,
 * malformed bodies, dropped connections) for the next N requests of a path prefix, slow replies, forgotten workers,
 * cancelled, deleted or reassigned tasks, worker timeouts. {@link org.flamenco.worker.embedded.SampleJobs} builds
 * the demo job.
 *
 * <p>Deliberate simplifications: secrets are stored in plain text; {@code {variables}} are not expanded; an update
 * for a task that is assigned to nobody (re-queued) is accepted (its status/activity dropped) rather than 409; a
 * returned {@code cancel-requested} task becomes {@code canceled} (what Flamenco Server would do); plain-text error
 * bodies end with a newline, like Go's {@code http.Error}.
 *
 * <p>{@link org.flamenco.worker.embedded.EmbeddedV3Manager} is the Flamenco 3 counterpart (protocol-v3.md): the
 * {@code /api/v3/worker/…} endpoints with the OpenAPI validation of the real Manager (exact keys and types, no
 * {@code null}, enums; 403 before 400), UUID ids, state change requests, 409 for reassigned tasks, previews; jobs are
 * added with {@link org.flamenco.worker.embedded.V3TaskSpec}s. Not modelled: worker and task timeouts, sleep
 * schedules, variables, block-listing.
 *
 * <p>What the two Managers do alike has one home: {@link org.flamenco.worker.embedded.LoopbackManager} (their sealed
 * base: lifecycle, fault injection, recorded requests, snapshots, waits) over one {@code ManagerState} (lock, clock,
 * requests, fault plan) and the {@code HttpFront}; {@code JobStore} (jobs, tasks, workers, Basic auth, hand-out
 * order, soft-fail count) with {@code TaskRow}/{@code WorkerRow}, specialised by {@code V2Store}/{@code V3Store}.
 * The endpoints ({@code Endpoints}/{@code TaskEndpoints}, {@code V3Endpoints}/{@code V3TaskEndpoints}) keep only
 * what their protocol spells differently.
 */
package org.flamenco.worker.embedded;
