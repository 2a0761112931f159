package org.flamenco.worker.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Check 9: free space where the worker writes: its working directory (task output, helper files) and the directory
 * of the update queue. Under {@link #WARN_BELOW} is a warning, under {@link #FAIL_BELOW} a failure.
 */
final class DiskSpaceCheck {
    static final String NAME = "disk-space";
    static final long MIB = 1024L * 1024L;
    static final long WARN_BELOW = 1024L * MIB;
    static final long FAIL_BELOW = 100L * MIB;

    private final Map<String, Path> places;

    /** @param places label ("working directory") → directory; a missing directory is measured at its parent */
    DiskSpaceCheck(Map<String, Path> places) {
        this.places = new LinkedHashMap<>(places);
    }

    CheckResult run() {
        CheckStatus worst = CheckStatus.OK;
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Path> place : places.entrySet()) {
            Path dir = existingAncestor(place.getValue().toAbsolutePath());
            try {
                long free = Files.getFileStore(dir).getUsableSpace();
                CheckStatus status = classify(free);
                worst = status.compareTo(worst) > 0 ? status : worst;
                parts.add(place.getKey() + " " + dir + ": " + human(free) + " free");
            } catch (IOException e) {
                worst = CheckStatus.FAIL;
                parts.add(place.getKey() + " " + dir + ": free space unknown (" + e.getMessage() + ")");
            }
        }
        String detail = String.join("; ", parts);
        return switch (worst) {
            case OK -> CheckResult.ok(NAME, detail);
            case WARN -> CheckResult.warn(NAME, detail, "less than 1 GiB free: clean up or grow the disk before "
                    + "renders fill it");
            case FAIL -> CheckResult.fail(NAME, detail, "less than 100 MiB free: the update queue and task output "
                    + "will fail; free space first");
        };
    }

    static CheckStatus classify(long freeBytes) {
        if (freeBytes < FAIL_BELOW) {
            return CheckStatus.FAIL;
        }
        return freeBytes < WARN_BELOW ? CheckStatus.WARN : CheckStatus.OK;
    }

    static String human(long bytes) {
        if (bytes >= WARN_BELOW) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) WARN_BELOW);
        }
        return String.format(Locale.ROOT, "%d MiB", bytes / MIB);
    }

    private static Path existingAncestor(Path dir) {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? dir : p;
    }
}
