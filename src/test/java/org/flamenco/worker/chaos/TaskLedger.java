package org.flamenco.worker.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flamenco.worker.embedded.TaskView;

/**
 * The ledger of one chaos task: what the Manager holds for it, checked against what the task printed and the
 * faults that hit it while it was not final.
 *
 * <p>The numbered lines are grouped by the child's pid (one group per run of the task). Within a run the numbers
 * must go up by one; allowed exceptions, each counted: a step back (an update re-sent because its answer was lost,
 * README "How it works"), at most one per answer-losing fault during the task's life, each at most
 * {@code maxUpdateLines} long; a step forward over exactly the lines a log-cap marker line says were dropped (at
 * most that many for lines over 64 KiB, which the marker counts per piece; at most the worker's own stop lines of
 * that run fewer when the task was stopped, see {@link #stopLinesDropped}); any
 * gap in a task whose update the Manager answered with a 400 (dead-lettered by design). Runs: at most one more than
 * the interruptions (kill -9, SIGTERM, sleep, shutdown, 400) during the task's life. The final status must be
 * present: {@code completed} with the last run complete, or {@code canceled} when the run canceled it.
 */
final class TaskLedger {
    private static final Pattern NUMBERED = Pattern.compile("pid=(\\d+) > L(\\d+):(\\d+)\\b");
    private static final Pattern MARKER = Pattern.compile(
            "flamenco-worker: (\\d+) log lines \\(\\d+ bytes\\) of this task were dropped");
    /** The first line the worker logs when it stops a run's child ({@code ProcessTreeStopper}). */
    private static final Pattern STOP_BEGUN = Pattern.compile("(?:TERMinating|KILLing) subprocess pid=(\\d+)\\b");
    /** The stopper's later lines: the grace ran out, and the child's exit status. */
    private static final Pattern STOP_GRACE = Pattern.compile("Process pid=(\\d+) did not stop in ");
    private static final Pattern STOP_STATUS = Pattern.compile("Process pid=(\\d+) (?:exited|terminated) (.*)");

    final TaskShapes.Shaped shaped;
    final String id;
    /** Faults that can make the Manager receive an update twice (kill -9, outage, reply held past the timeout). */
    int answerLosingFaults;
    /** Faults that stop a running task so that it may run again (kill -9, SIGTERM, sleep, shutdown). */
    int interruptions;
    boolean canceledByChaos;
    int badRequestReplies;
    /**
     * Flamenco 3 only: replies held past the read timeout <em>before</em> the Manager applied the request. The worker
     * re-sends the update and goes on; the held original (e.g. the start update, {@code taskStatus: active}) is
     * applied later, after the final status, and the Manager (as Flamenco 3 itself: its update handler applies any
     * status, "TODO: check whether this task may undergo the requested status change") hands the task, active again
     * and still assigned to this worker, out once more. v2 Managers ignore a status for a task no longer active.
     */
    int staleStatusFaults;

    // results
    String status = "";
    int runs;
    long duplicateLines;
    int duplicateSegments;
    long capDroppedLines;
    int capMarkers;
    /** Lines a marker counted that were the worker's own stop lines, not numbered lines (see {@link #step}). */
    long capDroppedStopLines;
    long lostTo400;
    final List<String> violations = new ArrayList<>();

    TaskLedger(TaskShapes.Shaped shaped, String id) {
        this.shaped = shaped;
        this.id = id;
    }

    private static final class Run {
        long last;
        long max;
        /** Lines of the re-sent stretch in progress (0: none). */
        long stretch;
        /**
         * How many of the worker's stop lines of this run a marker may have counted (see {@link #stopLinesDropped}).
         */
        long droppableStopLines;
        /** How many it did. */
        long stopLinesDropped;
    }

    void check(TaskView t, int maxUpdateLines) {
        status = t.status();
        Map<Long, Run> byPid = new LinkedHashMap<>();
        Map<Long, Long> droppable = stopLinesDropped(t.logLines());
        long pendingDropped = 0;
        Run previous = null;
        for (String line : t.logLines()) {
            Matcher marker = MARKER.matcher(line);
            if (marker.find()) {
                pendingDropped += Long.parseLong(marker.group(1));
                capMarkers++;
                continue;
            }
            Matcher m = NUMBERED.matcher(line);
            if (!m.find()) {
                continue;
            }
            long pid = Long.parseLong(m.group(1));
            if (Integer.parseInt(m.group(2)) != shaped.tag()) {
                violations.add("a line of task L" + m.group(2) + " in this task's log: " + cut(line));
                continue;
            }
            long n = Long.parseLong(m.group(3));
            Run run = byPid.computeIfAbsent(pid, p -> new Run());
            run.droppableStopLines = droppable.getOrDefault(pid, 0L);
            if (previous != null && previous != run && run.max > 0) {
                violations.add("runs interleave: pid " + pid + " prints again after another run");
            }
            previous = run;
            step(run, n, pendingDropped, maxUpdateLines);
            pendingDropped = 0;
        }
        byPid.values().stream().filter(r -> r.stretch > 0).forEach(r -> endStretch(r, maxUpdateLines));
        runs = byPid.size();
        if (duplicateSegments > answerLosingFaults) {
            violations.add(duplicateSegments + " re-sent stretches of lines but only " + answerLosingFaults
                    + " faults that lose an answer");
        }
        if (runs > 1 + interruptions + badRequestReplies + staleStatusFaults) {
            violations.add("ran " + runs + " times with only " + interruptions + " interruptions");
        }
        checkFinal(t, byPid);
    }

    /** The run that completed the task was not stopped: its marker may not count stop lines. */
    private void checkCompletingRunNotStopped(Run lastRun) {
        if ("completed".equals(status) && lastRun != null && lastRun.stopLinesDropped > 0) {
            violations.add("a marker counted " + lastRun.stopLinesDropped + " more lines than were missing in the run"
                    + " that completed the task");
        }
    }

    private void step(Run run, long n, long pendingDropped, int maxUpdateLines) {
        if (run.stretch > 0 && (n != run.last + 1 || n > run.max)) {
            endStretch(run, maxUpdateLines);
        }
        if (run.stretch > 0) {
            run.stretch++;
        }
        if (n == run.last + 1 + pendingDropped) {
            capDroppedLines += pendingDropped;
        } else if (pendingDropped > 0 && shaped.shape().equals("long-lines") && n > run.last
                && n - run.last - 1 <= pendingDropped) {
            // The marker counts log lines, and a line over 64 KiB is several of them (pieces).
            capDroppedLines += n - run.last - 1;
        } else if (n > run.last && pendingDropped - (n - run.last - 1) > 0
                && pendingDropped - (n - run.last - 1) <= run.droppableStopLines - run.stopLinesDropped) {
            // The stop's own lines were pushed out of the kept tail by the output still read after them.
            capDroppedLines += n - run.last - 1;
            run.stopLinesDropped += pendingDropped - (n - run.last - 1);
            capDroppedStopLines += pendingDropped - (n - run.last - 1);
        } else if (n <= run.last) {
            // A re-sent update: these lines came before (an update whose answer was lost, sent again).
            duplicateSegments++;
            run.stretch = 1;
        } else if (n <= run.max + 1) {
            // Inside a re-sent stretch, where a marker was already counted the first time.
            n = Math.max(n, run.last + 1);
        } else if (badRequestReplies > 0) {
            lostTo400 += n - run.last - 1;
        } else {
            violations.add("lines " + (run.last + 1) + ".." + (n - 1) + " missing"
                    + (pendingDropped > 0 ? " (a marker said " + pendingDropped + " were dropped)" : ""));
        }
        run.last = n;
        run.max = Math.max(run.max, n);
    }

    /**
     * Per pid, how many of the worker's own stop lines a cap marker may have counted among its dropped lines: the
     * worker logs {@code TERMinating subprocess pid=P} (then perhaps {@code Process pid=P did not stop in …} and
     * {@code Process pid=P terminated …}) on the task thread while the output reader still drains the child's pipe;
     * in overflow those lines go into the kept tail like any other, and the output read after them can push them out
     * of it, so the marker rightly counts them. The tail keeps the newest lines, so the lost ones are the stop lines
     * before the first one the Manager has: none when it has the first (or the task was never stopped); the grace line
     * only when the child was KILLed.
     */
    private Map<Long, Long> stopLinesDropped(List<String> log) {
        Map<Long, Long> out = new LinkedHashMap<>();
        if (interruptions == 0 && !canceledByChaos) {
            return out;
        }
        java.util.Set<Long> begun = new java.util.HashSet<>();
        java.util.Set<Long> grace = new java.util.HashSet<>();
        Map<Long, String> exit = new java.util.HashMap<>();
        for (String line : log) {
            collectPid(STOP_BEGUN, line, begun);
            collectPid(STOP_GRACE, line, grace);
            Matcher m = STOP_STATUS.matcher(line);
            if (m.find()) {
                exit.put(Long.parseLong(m.group(1)), m.group(2));
            }
        }
        for (String line : log) {
            Matcher m = NUMBERED.matcher(line);
            if (m.find()) {
                long pid = Long.parseLong(m.group(1));
                String status = exit.get(pid);
                long lost = begun.contains(pid) ? 0 : grace.contains(pid) ? 1
                        : status == null ? 3 : status.contains("SIGKILL") ? 2 : 1;
                out.put(pid, lost);
            }
        }
        return out;
    }

    private static void collectPid(Pattern p, String line, java.util.Set<Long> into) {
        Matcher m = p.matcher(line);
        if (m.find()) {
            into.add(Long.parseLong(m.group(1)));
        }
    }

    /** A re-sent stretch ended: it may hold at most one update's lines. */
    private void endStretch(Run run, int maxUpdateLines) {
        duplicateLines += run.stretch;
        if (run.stretch > maxUpdateLines) {
            violations.add("re-sent " + run.stretch + " lines (up to " + run.last + ") at once, more than one update ("
                    + maxUpdateLines + ")");
        }
        run.stretch = 0;
    }

    private void checkFinal(TaskView t, Map<Long, Run> byPid) {
        Run lastRun = null;
        for (Run r : byPid.values()) {
            lastRun = r;
        }
        checkCompletingRunNotStopped(lastRun);
        boolean reportedCompleted = t.updates().stream().anyMatch(u -> "completed".equals(u.get("task_status")));
        switch (status) {
            case "completed" -> {
                if (lastRun == null || lastRun.max != shaped.count()) {
                    violations.add("completed, but its last run delivered up to line "
                            + (lastRun == null ? 0 : lastRun.max) + " of " + shaped.count());
                }
            }
            case "canceled" -> {
                if (!canceledByChaos) {
                    violations.add("canceled without a cancel");
                }
            }
            case "cancel-requested" -> {
                // Completed just before the worker heard of the cancel: the Manager ignores a non-active task's status.
                if (!reportedCompleted && !canceledWhileGone()) {
                    violations.add("cancel-requested at the end, and the worker never reported it completed");
                }
            }
            default -> {
                if (badRequestReplies == 0) {
                    violations.add("no final status: " + status);
                }
            }
        }
    }

    /** Cancelled by the run, and interrupted too: a worker killed meanwhile has nothing left to return. */
    boolean canceledWhileGone() {
        return canceledByChaos && interruptions > 0;
    }

    private static String cut(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }

    String summary() {
        return String.format(java.util.Locale.ROOT, "L%-4d %-11s %-24s %-16s lines %7d runs %d dup %d/%d cap %d/%s"
                        + " 400-lost %d faults(lose %d, interrupt %d) %s", shaped.tag(), shaped.shape(), id, status,
                shaped.count(), runs, duplicateSegments, duplicateLines, capMarkers, capDroppedLines
                        + (capDroppedStopLines > 0 ? "+" + capDroppedStopLines + " stop" : ""), lostTo400,
                answerLosingFaults, interruptions, violations.isEmpty() ? "ok" : "VIOLATION " + violations);
    }
}
