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
        TaskView view = new TaskView("id", "job", "t7", "debug", status, "", "w", 0, 0, 0, Map.of(),
                String.join("\n", log) + "\n", List.of(), List.of(), List.of(), List.of());
        t.check(view, 1000);
        return t;
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

    @Test
    void aSecondRun_needsAnInterruption() {
        List<String> log = new ArrayList<>(lines(10, 1, 40));
        log.addAll(whole(11));
        assertThat(check("completed", log, 0, 0).violations).anyMatch(v -> v.contains("ran 2 times"));
        assertThat(check("completed", log, 0, 1).violations).isEmpty();
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
