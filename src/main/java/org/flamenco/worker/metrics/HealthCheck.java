package org.flamenco.worker.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides {@code /healthz}: healthy while the worker loop is alive and the Manager answered with success within the
 * limit ({@code healthz_max_silence_seconds}). Pure: a function of a {@link MetricsSnapshot}.
 */
public final class HealthCheck {
    private final Duration limit;

    /** A verdict and the JSON body that goes with it. */
    public record Verdict(boolean healthy, String reason, String json) {
    }

    public HealthCheck(Duration limit) {
        this.limit = Objects.requireNonNull(limit, "limit");
    }

    public Verdict judge(MetricsSnapshot s) {
        String reason = reason(s);
        return new Verdict(reason.isEmpty(), reason, json(s, reason));
    }

    private String reason(MetricsSnapshot s) {
        if (s.state() == WorkerState.STARTING) {
            return "starting: not signed on to the Manager yet";
        }
        if (s.state() == WorkerState.SHUTTING_DOWN) {
            return "shutting down";
        }
        if (s.loopStalledFor().compareTo(limit) > 0) {
            return "the fetch loop has not moved for " + s.loopStalledFor().toSeconds() + " s (limit "
                    + limit.toSeconds() + " s)";
        }
        Duration silence = s.lastContactAge().orElse(s.upFor());
        if (silence.compareTo(limit) > 0) {
            return "no successful answer from the Manager for " + silence.toSeconds() + " s (limit "
                    + limit.toSeconds() + " s)";
        }
        return "";
    }

    private static String json(MetricsSnapshot s, String reason) {
        StringBuilder b = new StringBuilder(320).append('{');
        b.append("\"healthy\":").append(reason.isEmpty());
        b.append(",\"reason\":").append(quote(reason));
        b.append(",\"state\":").append(quote(s.state().label()));
        b.append(",\"task\":").append(s.runningTask().map(HealthCheck::quote).orElse("null"));
        b.append(",\"task_progress_percent\":").append(s.taskProgress());
        b.append(",\"task_elapsed_seconds\":").append(seconds(s.taskElapsed()));
        b.append(",\"queue_updates\":").append(s.queueElements());
        b.append(",\"queue_bytes\":").append(s.queueBytes());
        b.append(",\"queue_oldest_age_seconds\":").append(seconds(s.queueOldestAge()));
        b.append(",\"manager_last_contact_age_seconds\":")
                .append(s.lastContactAge().map(HealthCheck::seconds).orElse("null"));
        b.append(",\"loop_stalled_seconds\":").append(seconds(s.loopStalledFor()));
        b.append(",\"quarantined\":").append(s.quarantined());
        b.append(",\"up_seconds\":").append(seconds(s.upFor()));
        return b.append("}\n").toString();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    static String quote(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
