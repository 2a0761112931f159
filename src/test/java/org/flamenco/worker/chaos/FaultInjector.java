package org.flamenco.worker.chaos;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.embedded.CannedReply;
import org.flamenco.worker.embedded.WorkerView;

/** Applies one {@link FaultSchedule.Fault} to the Manager, the worker process or the queue's disk. */
final class FaultInjector {
    /** The worker's {@code http_read_timeout_seconds} in a chaos run: a reply held longer is lost to it. */
    private static final double READ_TIMEOUT_SECONDS = 5;
    private static final int[] ERROR_STATUSES = {500, 502, 503, 504, 500, 503};
    /** Sent with 5xx storms: nothing, sane, odd and too large for an int (which once ended the sender thread). */
    private static final String[] RETRY_AFTER = {"1", "0", "99999999999999", "soon", "-1", "120"};
    private static final String[] RESET_PATHS = {"/", "/tasks/", "/task$", "/may-i-run/", "/status-change", "/"};
    private static final String[] MALFORMED_PATHS = {"/task$", "/may-i-run/", "/status-change", "/task$",
        "/may-i-run/", "/sign-on"};
    private static final List<String> MALFORMED_BODIES = List.of("{not json", "[]", "{\"_id\": 5, \"commands\": 7}",
            "", "null", "{\"may_keep_running\": \"perhaps\"}", "\u0000\u00ff garbage", "{\"status_requested\": 42}");

    private final ChaosRun run;

    FaultInjector(ChaosRun run) {
        this.run = run;
    }

    void inject(FaultSchedule.Fault f) throws IOException, InterruptedException {
        switch (f.kind()) {
            case MANAGER_DOWN -> {
                losing();
                run.manager.stop();
                pause(f.seconds());
                run.manager.restart();
            }
            case ERROR_STORM -> storm(f, "/", CannedReply.text(ERROR_STATUSES[f.variant()], "chaos storm")
                    .withHeader("Retry-After", RETRY_AFTER[f.count() % RETRY_AFTER.length]));
            case RATE_LIMIT -> storm(f, "/", CannedReply.text(429, "slow down")
                    .withHeader("Retry-After", Integer.toString(f.variant())));
            case HOLD -> hold(f, false);
            case HOLD_AFTER_APPLY -> hold(f, true);
            case MALFORMED -> storm(f, path(MALFORMED_PATHS[f.variant()]),
                    CannedReply.json(200, MALFORMED_BODIES.get(f.count() % MALFORMED_BODIES.size())));
            case RESET -> storm(f, path(RESET_PATHS[f.variant()]), CannedReply.disconnect());
            case BAD_REQUEST -> run.activeTask().ifPresent(t -> {
                t.interruptions++;
                run.manager.answerNext(1, run.manager.updatePath(t.id) + "$", CannedReply.text(400,
                        "chaos: bad request"));
            });
            case CANCEL -> run.activeTask().ifPresent(t -> {
                t.canceledByChaos = true;
                run.manager.cancelTask(t.id);
            });
            case SLEEP_STATUS -> statusChange("asleep", f);
            case SHUTDOWN_STATUS -> {
                Optional<WorkerView> w = run.workerRecord();
                if (w.isPresent()) {
                    interrupting();
                    run.shutdownRequested = true;
                    run.manager.requestStatusChange(w.get().id(), "shutdown", f.variant() % 2 == 0);
                }
            }
            case SIGUSR -> {
                interrupting();
                signal("USR1");
                pause(f.seconds() / 2);
                signal("USR2");
            }
            case SIGTERM -> sigterm();
            case KILL9 -> {
                losing();
                interrupting();
                signal("KILL");
                run.worker.waitFor(10, TimeUnit.SECONDS);
                pause(f.variant() / 3.0);
                run.restartWorker();
            }
            case DISK_FULL -> {
                long bytes = run.disk.fill();
                run.log("disk full (" + bytes / 1024 + " KiB filler) for " + f.seconds() + " s");
                pause(f.seconds());
                run.disk.free();
            }
            default -> throw new IllegalStateException("unknown fault " + f);
        }
    }

    /** Ends every lasting fault: canned replies, holds, a full disk, a sleeping worker. */
    void healAll() throws IOException, InterruptedException {
        run.manager.clearFaults();
        if (!run.manager.isRunning()) {
            run.manager.restart();
        }
        if (run.disk != null) {
            run.disk.free();
        }
        Optional<WorkerView> w = run.workerRecord();
        if (w.isPresent() && !w.get().status().equals("awake")) {
            run.manager.requestStatusChange(w.get().id(), "awake", false);
        }
        if (run.worker.isAlive()) {
            signal("USR2");
        }
    }

    /**
     * The next {@code count} matching requests get {@code reply}, for at most the fault's seconds: a worker backing
     * off would otherwise meet the rest of the storm minutes later.
     */
    private void storm(FaultSchedule.Fault f, String prefix, CannedReply reply) throws InterruptedException {
        run.manager.answerNext(f.count(), prefix, reply);
        pause(f.seconds());
        run.manager.clearFaults();
    }

    private void hold(FaultSchedule.Fault f, boolean afterApplying) throws InterruptedException {
        double holdSeconds = 1 + f.variant() * 1.5;
        if (holdSeconds >= READ_TIMEOUT_SECONDS - 0.5) {
            losing();
            if (!afterApplying && run.isV3()) {
                run.exposedTasks().forEach(t -> t.staleStatusFaults++); // see TaskLedger.staleStatusFaults
            }
        }
        String prefix = path(f.count() % 2 == 0 ? "/" : "/tasks/");
        Duration d = Duration.ofMillis((long) (holdSeconds * 1000));
        if (afterApplying) {
            run.manager.delayRepliesAfterApplying(prefix, d);
        } else {
            run.manager.delayReplies(prefix, d);
        }
        pause(f.seconds());
        run.manager.delayReplies(prefix, Duration.ZERO);
    }

    private void statusChange(String status, FaultSchedule.Fault f) throws InterruptedException {
        Optional<WorkerView> w = run.workerRecord();
        if (w.isEmpty()) {
            return;
        }
        boolean lazy = f.variant() % 2 == 0;
        if (!lazy) {
            interrupting();
        }
        run.manager.requestStatusChange(w.get().id(), status, lazy);
        pause(f.seconds());
        run.manager.requestStatusChange(w.get().id(), "awake", false);
    }

    private void sigterm() throws IOException, InterruptedException {
        interrupting();
        signal("TERM");
        if (!run.worker.waitFor(60, TimeUnit.SECONDS)) {
            run.violation("the worker did not exit within 60 s of SIGTERM");
            run.worker.destroyForcibly();
            run.worker.waitFor(10, TimeUnit.SECONDS);
        } else if (run.worker.exitValue() != 0) {
            run.violation("the worker exited " + run.worker.exitValue() + " after SIGTERM, expected 0");
        }
        run.restartWorker();
    }

    /** {@code v2Prefix} in the run's protocol. */
    private String path(String v2Prefix) {
        return run.manager.path(v2Prefix, run.activeTask().map(t -> t.id));
    }

    private void losing() {
        run.exposedTasks().forEach(t -> t.answerLosingFaults++);
    }

    private void interrupting() {
        run.exposedTasks().forEach(t -> t.interruptions++);
    }

    private void signal(String name) throws IOException, InterruptedException {
        if (!run.worker.isAlive()) {
            return;
        }
        if (name.startsWith("USR") && !awaitUsrHandlers()) {
            run.log("not sending SIG" + name + ": the worker has not installed its handlers (still starting)");
            return;
        }
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(run.worker.pid())).inheritIO().start();
        kill.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Waits up to 15 s until the worker catches SIGUSR1 and SIGUSR2 ({@code SigCgt} in /proc): before the JVM runs
     * the worker's start-up code their default action ends the process, as it would for any program.
     */
    private boolean awaitUsrHandlers() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        long bits = (1L << (10 - 1)) | (1L << (12 - 1));
        while (System.nanoTime() < deadline && run.worker.isAlive()) {
            try {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc",
                        Long.toString(run.worker.pid()), "status"))) {
                    if (line.startsWith("SigCgt:") && (Long.parseUnsignedLong(line.substring(7).strip(), 16) & bits)
                            == bits) {
                        return true;
                    }
                }
            } catch (IOException e) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return false;
    }

    private static void pause(double seconds) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep((long) (seconds * 1000));
    }
}
