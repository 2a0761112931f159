package org.flamenco.worker.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.flamenco.worker.embedded.TaskView;
import org.junit.jupiter.api.Test;

/** The chaos ledger's rules for one task, on hand-made Manager logs: each rule must be able to fail. */
class TaskLedgerTest {
    private static final TaskShapes.Shaped SHAPED = new TaskShapes.Shaped(TaskShapes.next(new Random(1), 7, "m").spec(),
            7, 100, "steady");

    private static String line(long pid, long n) {
        return "2026-12-07 10:00:00,000: pid=" + pid + " > L7:" + n + " text";
    }

    private static List<String> lines(long pid, long from, long to) {
        List<String> out = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            out.add(line(pid, n));
        }
        return out;
    }

    private static TaskLedger check(String status, List<String> log, int losing, int interruptions) {
        TaskLedger t = new TaskLedger(SHAPED, "id");
        t.answerLosingFaults = losing;
        t.interruptions = interruptions;
        t.check(view(status, log), 1000);
        return t;
    }

    private static TaskView view(String status, List<String> log) {
        return new TaskView("id", "job", "t7", "debug", status, "", "w", 0, 0, 0, Map.of(),
                String.join("\n", log) + "\n", List.of(), List.of(), List.of(), List.of());
    }

    private static List<String> whole(long pid) {
        return lines(pid, 1, SHAPED.count());
    }

    @Test
    void everyLineOnceInOrder_holds() {
        assertThat(check("completed", whole(10), 0, 0).violations).isEmpty();
    }

    @Test
    void aMissingLine_isAViolation() {
        List<String> log = whole(10);
        log.remove(5);
        assertThat(check("completed", log, 0, 0).violations).anyMatch(v -> v.contains("lines 6..6 missing"));
    }

    @Test
    void aResentStretch_needsAnAnswerLosingFault() {
        List<String> log = new ArrayList<>(lines(10, 1, 30));
        log.addAll(lines(10, 21, SHAPED.count()));
        assertThat(check("completed", log, 0, 0).violations).anyMatch(v -> v.contains("re-sent"));
        TaskLedger ok = check("completed", log, 1, 0);
        assertThat(ok.violations).isEmpty();
        assertThat(ok.duplicateLines).isEqualTo(10);
    }

    @Test
    void aStaleUpdateAppliedLate_isOneReSentStretch_ofAtMostOneUpdate() {
        List<String> log = new ArrayList<>(whole(10));
        log.addAll(lines(10, 41, 60)); // held by the Manager, applied after the newer ones
        TaskLedger ok = check("completed", log, 1, 0);
        assertThat(ok.violations).isEmpty();
        assertThat(ok.duplicateLines).isEqualTo(20);

        TaskLedger small = new TaskLedger(SHAPED, "id");
        small.answerLosingFaults = 1;
        small.check(new TaskView("id", "job", "t7", "debug", "completed", "", "w", 0, 0, 0, Map.of(),
                String.join("\n", log) + "\n", List.of(), List.of(), List.of(), List.of()), 15);
        assertThat(small.violations).anyMatch(v -> v.contains("re-sent 20 lines"));
    }

    @Test
    void aGap_isAllowedExactlyWhereACapMarkerSaysSo() {
        List<String> log = new ArrayList<>(lines(10, 1, 9));
        log.add("2026-12-07 10:00:00,000: flamenco-worker: 11 log lines (500 bytes) of this task were dropped here"
                + " because the Manager could not receive them in time (task_log_max_bytes = 1048576)");
        log.addAll(lines(10, 21, SHAPED.count()));
        TaskLedger ok = check("completed", log, 0, 0);
        assertThat(ok.violations).isEmpty();
        assertThat(ok.capDroppedLines).isEqualTo(11);
        log.set(9, log.get(9).replace(": 11 log lines", ": 10 log lines"));
        assertThat(check("completed", log, 0, 0).violations).anyMatch(v -> v.contains("missing"));
    }

    @Test
    void aMarkerCountsPiecesOfLongLines_soTheGapMayBeSmallerThere() {
        List<String> log = new ArrayList<>(lines(10, 1, 9));
        log.add("2026-12-07 10:00:00,000: flamenco-worker: 15 log lines (900000 bytes) of this task were dropped");
        log.addAll(lines(10, 15, SHAPED.count()));
        assertThat(check("completed", log, 0, 0).violations).anyMatch(v -> v.contains("missing"));
        TaskLedger longLines = new TaskLedger(new TaskShapes.Shaped(SHAPED.spec(), 7, 100, "long-lines"), "id");
        longLines.check(new TaskView("id", "job", "t7", "debug", "completed", "", "w", 0, 0, 0, Map.of(),
                String.join("\n", log) + "\n", List.of(), List.of(), List.of(), List.of()), 1000);
        assertThat(longLines.violations).isEmpty();
    }

    private static final String MARKER_11 = "2026-12-07 10:00:00,000: flamenco-worker: 11 log lines (900 bytes) of this"
            + " task were dropped here because the Manager could not receive them in time"
            + " (task_log_max_bytes = 1048576)";

    /**
     * ChaosIT seed 20261207 under load: a burst stopped in overflow. The worker logged "TERMinating subprocess
     * pid=10" while the reader still drained the pipe; the output read after it pushed it out of the kept tail, so the
     * marker rightly counts 10 numbered lines and that stop line.
     */
    private static List<String> stoppedInOverflow(boolean termLineKept, boolean exitLineKept) {
        List<String> log = new ArrayList<>(lines(10, 1, 9));
        log.add(MARKER_11);
        if (termLineKept) {
            log.add("2026-12-07 10:00:00,000: exec: TERMinating subprocess pid=10");
        }
        log.addAll(lines(10, 20, 40)); // the kept tail
        if (exitLineKept) {
            log.add("2026-12-07 10:00:00,000: exec: Process pid=10 terminated due to signal SIGTERM");
        }
        log.add("2026-12-07 10:00:00,000: Worker w stopped running this task because the worker is shutting down");
        log.addAll(whole(11));
        return log;
    }

    @Test
    void aMarkerOfAStoppedRun_mayCountTheStopLinesItsTailLost_andOnlyThose() {
        TaskLedger ok = check("completed", stoppedInOverflow(false, true), 0, 1);
        assertThat(ok.violations).isEmpty();
        assertThat(ok.capDroppedLines).isEqualTo(10);
        assertThat(ok.capDroppedStopLines).isEqualTo(1);

        // the stop line is in the log, so the marker counted a line that is not missing
        assertThat(check("completed", stoppedInOverflow(true, true), 0, 1).violations)
                .anyMatch(v -> v.contains("lines 10..19 missing (a marker said 11"));
        // no stop during the task's life: no stop lines to lose
        assertThat(check("completed", stoppedInOverflow(false, true), 0, 0).violations)
                .anyMatch(v -> v.contains("lines 10..19 missing"));
    }

    @Test
    void aMarkerOfAStoppedRun_countsAtMostTheStopLinesMissingFromTheLog() {
        List<String> twoShort = stoppedInOverflow(false, true);
        twoShort.set(9, MARKER_11.replace(": 11 log lines", ": 12 log lines"));
        assertThat(check("completed", twoShort, 0, 1).violations).anyMatch(v -> v.contains("a marker said 12"));

        List<String> exitLost = stoppedInOverflow(false, false);
        exitLost.set(9, MARKER_11.replace(": 11 log lines", ": 12 log lines"));
        TaskLedger ok = check("completed", exitLost, 0, 1);
        assertThat(ok.violations).isEmpty();
        assertThat(ok.capDroppedStopLines).isEqualTo(2);
    }

    @Test
    void theRunThatCompletedTheTask_wasNotStopped_soItsMarkerCountsNoStopLines() {
        List<String> log = new ArrayList<>(lines(10, 1, 9));
        log.add(MARKER_11);
        log.addAll(lines(10, 20, SHAPED.count()));
        assertThat(check("completed", log, 0, 1).violations)
                .anyMatch(v -> v.contains("a marker counted 1 more lines than were missing in the run that completed"));
    }

    @Test
    void aSecondRun_needsAnInterruption() {
        List<String> log = new ArrayList<>(lines(10, 1, 40));
        log.addAll(whole(11));
        assertThat(check("completed", log, 0, 0).violations).anyMatch(v -> v.contains("ran 2 times"));
        assertThat(check("completed", log, 0, 1).violations).isEmpty();
    }

    @Test
    void aSecondWholeRun_afterAStaleStatusFault_holds_aThirdDoesNot() {
        List<String> log = new ArrayList<>(whole(10));
        log.addAll(whole(11));
        TaskLedger once = new TaskLedger(SHAPED, "id");
        once.staleStatusFaults = 1;
        once.check(view("completed", log), 1000);
        assertThat(once.violations).isEmpty();

        log.addAll(whole(12));
        TaskLedger thrice = new TaskLedger(SHAPED, "id");
        thrice.staleStatusFaults = 1;
        thrice.check(view("completed", log), 1000);
        assertThat(thrice.violations).anyMatch(v -> v.contains("ran 3 times"));
    }

    @Test
    void anIncompleteLastRun_orAMissingFinalStatus_isAViolation() {
        assertThat(check("completed", lines(10, 1, 5), 0, 0).violations).anyMatch(v -> v.contains("last run"));
        assertThat(check("active", whole(10), 0, 0).violations).anyMatch(v -> v.contains("no final status"));
        assertThat(check("canceled", whole(10), 0, 0).violations).anyMatch(v -> v.contains("without a cancel"));
    }

    @Test
    void aLineOfAnotherTask_isAViolation() {
        List<String> log = whole(10);
        log.add(3, "2026-12-07 10:00:00,000: pid=10 > L8:1 text");
        assertThat(check("completed", log, 0, 0).violations).anyMatch(v -> v.contains("a line of task L8"));
    }
}
