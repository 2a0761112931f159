package org.flamenco.worker.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flamenco.worker.embedded.TaskView;

/**
 * Checks the numbered output lines a task's log holds at the Manager. Lines look like {@code L<tag>:<n> ...}
 * (after the worker's {@code pid=N > } prefix); a task prints {@code n = 1..count} in order.
 */
final class LineLedger {
    private static final Pattern NUMBERED = Pattern.compile(" > L(\\d+):(\\d+)\\b");

    private LineLedger() {
    }

    /** The numbers of the task's numbered lines, in log order. */
    static List<Long> numbers(TaskView task) {
        List<Long> out = new ArrayList<>();
        Matcher m = NUMBERED.matcher(task.log());
        while (m.find()) {
            out.add(Long.parseLong(m.group(2)));
        }
        return out;
    }

    /** Problems when the log does not hold exactly {@code 1..count} once each, in order. */
    static List<String> checkExact(TaskView task, long count) {
        List<Long> n = numbers(task);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (n.get(i) != i + 1) {
                problems.add("line " + (i + 1) + " of the log is number " + n.get(i));
                break;
            }
        }
        if (n.size() != count) {
            problems.add(n.size() + " numbered lines, expected " + count);
        }
        return problems;
    }
}
