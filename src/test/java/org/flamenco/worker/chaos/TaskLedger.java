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
 * most that many for lines over 64 KiB, which the marker counts per piece); any
 * gap in a task whose update the Manager answered with a 400 (dead-lettered by design). Runs: at most one more than
 * the interruptions (kill -9, SIGTERM, sleep, shutdown, 400) during the task's life. The final status must be
 * present: {@code completed} with the last run complete, or {@code canceled} when the run canceled it.
 */
final class TaskLedger {
    private static final Pattern NUMBERED = Pattern.compile("pid=(\\d+) > L(\\d+):(\\d+)\\b");
    private static final Pattern MARKER = Pattern.compile(
            "flamenco-worker: (\\d+) log lines \\(\\d+ bytes\\) of this task were dropped");

    final TaskShapes.Shaped shaped;
    final String id;
    /** Faults that can make the Manager receive an update twice (kill -9, outage, reply held past the timeout). */
    int answerLosingFaults;
    /** Faults that stop a running task so that it may run again (kill -9, SIGTERM, sleep, shutdown). */
    int interruptions;
    boolean canceledByChaos;
    int badRequestReplies;

    // results
    String status = "";
    int runs;
    long duplicateLines;
    int duplicateSegments;
    long capDroppedLines;
    int capMarkers;
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
    }

    void check(TaskView t, int maxUpdateLines) {
        status = t.status();
        Map<Long, Run> byPid = new LinkedHashMap<>();
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
        if (runs > 1 + interruptions + badRequestReplies) {
            violations.add("ran " + runs + " times with only " + interruptions + " interruptions");
        }
        checkFinal(t, byPid);
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
        return String.format(java.util.Locale.ROOT, "L%-4d %-11s %-24s %-16s lines %7d runs %d dup %d/%d cap %d/%d"
                        + " 400-lost %d faults(lose %d, interrupt %d) %s", shaped.tag(), shaped.shape(), id, status,
                shaped.count(), runs, duplicateSegments, duplicateLines, capMarkers, capDroppedLines, lostTo400,
                answerLosingFaults, interruptions, violations.isEmpty() ? "ok" : "VIOLATION " + violations);
    }
}
