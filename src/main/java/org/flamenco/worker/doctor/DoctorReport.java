package org.flamenco.worker.doctor;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every check's result in run order. {@code configLoaded} is false when the configuration could not be loaded; then
 * the report holds only that check (nothing else can be checked without it).
 */
public record DoctorReport(boolean configLoaded, List<CheckResult> checks) {
    public DoctorReport {
        checks = List.copyOf(checks);
    }

    /** True when no check failed (warnings allowed). */
    public boolean ok() {
        return configLoaded && checks.stream().noneMatch(c -> c.status() == CheckStatus.FAIL);
    }

    /** One line per check: {@code <status>  <name>  <detail>  [hint: <hint>]}. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        for (CheckResult c : checks) {
            String line = String.format(Locale.ROOT, "%-4s  %-19s %s", c.status().label(), c.name(),
                    oneLine(c.detail()));
            out.append(line);
            if (!c.hint().isEmpty()) {
                out.append("  [hint: ").append(oneLine(c.hint())).append(']');
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** {@code {"ok": bool, "checks": [{"name", "status", "detail", "hint"}]}} for fleet tooling. */
    public String toJson() {
        List<JsonCheck> rows = checks.stream()
                .map(c -> new JsonCheck(c.name(), c.status().wireName(), c.detail(), c.hint()))
                .toList();
        try {
            return new ObjectMapper().writeValueAsString(new JsonReport(ok(), rows)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the doctor report as JSON", e);
        }
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ');
    }

    record JsonReport(boolean ok, List<JsonCheck> checks) {
    }

    record JsonCheck(String name, String status, String detail, String hint) {
    }
}
