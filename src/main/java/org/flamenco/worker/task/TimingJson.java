package org.flamenco.worker.task;

import java.util.Map;

import org.flamenco.worker.command.PythonText;

/**
 * Timing maps as the original wrote them into the task log (worker-behaviour.md §8.4): {@code {"total": 0.0123}},
 * {@code ", "} and {@code ": "} separators, insertion order, Python float formatting.
 */
final class TimingJson {
    private TimingJson() {
    }

    static String render(Map<String, Double> timing) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Double> e : timing.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append('"');
            for (char c : e.getKey().toCharArray()) {
                if (c == '"' || c == '\\') {
                    sb.append('\\');
                }
                sb.append(c);
            }
            sb.append("\": ").append(PythonText.number(e.getValue()));
        }
        return sb.append('}').toString();
    }
}
