package org.flamenco.worker.daemon;

import java.time.Duration;

import org.flamenco.worker.clock.DurationText;
import org.flamenco.worker.metrics.MetricsSnapshot;
import org.flamenco.worker.metrics.WorkerState;

/** The one line {@code systemctl status} shows ({@code STATUS=}), from the worker's current figures. */
final class StatusLine {
    /** A Manager silent this long is reported as unreachable. */
    static final Duration UNREACHABLE = Duration.ofSeconds(60);

    private StatusLine() {
    }

    static String of(MetricsSnapshot s) {
        String state = state(s);
        Duration silence = s.lastContactAge().orElse(s.upFor());
        String queued = s.queueElements() + (s.queueElements() == 1 ? " update" : " updates") + " queued";
        if (silence.compareTo(UNREACHABLE) >= 0 && s.state() != WorkerState.SHUTTING_DOWN) {
            return "Manager unreachable for " + DurationText.compact(silence) + ", " + queued + " (" + state + ")";
        }
        return s.queueElements() > 0 ? state + ", " + queued : state;
    }

    private static String state(MetricsSnapshot s) {
        if (s.runningTask().isPresent()) {
            return "running " + s.taskId() + " " + s.taskProgress() + "%";
        }
        return switch (s.state()) {
            case STARTING -> "starting, signing on to the Manager";
            case AWAKE -> "awake, idle";
            case ASLEEP -> "asleep";
            case ERROR -> s.quarantined() ? "error: quarantined after fast task failures" : "error, retrying later";
            case SHUTTING_DOWN -> "shutting down";
        };
    }
}
