package org.flamenco.worker.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code bench/chaos}: one chaos run of the packaged worker against the embedded Manager (see {@link ChaosRun} and
 * README "Testing"). Options: {@code --seed N} (default random), {@code --minutes M} (default 10; fractions allowed),
 * {@code --protocol v2|v3} (which embedded Manager, default v2), {@code --launcher posix|portable|spawn} (the worker's
 * {@code process_launcher}, default the worker's own), {@code --jar PATH}, {@code --dir DIR}. Exit 0 when the ledger
 * holds, 1 on any violation (the seed to replay is printed), 2 on a bad option.
 */
public final class Chaos {
    private Chaos() {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args, Map.of("--seed", "", "--minutes", "10", "--protocol", "v2", "--launcher", "",
                    "--jar", "target/flamenco-worker.jar", "--dir", ""));
            if (!o.get("--protocol").equals("v2") && !o.get("--protocol").equals("v3")) {
                throw new IllegalArgumentException("--protocol " + o.get("--protocol") + ": expected v2 or v3");
            }
            if (!List.of("", "posix", "portable", "spawn").contains(o.get("--launcher"))) {
                throw new IllegalArgumentException("--launcher " + o.get("--launcher")
                        + ": expected posix, portable or spawn");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bench/chaos: " + e.getMessage());
            System.exit(2);
            return;
        }
        long seed = o.get("--seed").isEmpty() ? ThreadLocalRandom.current().nextLong(1, 1L << 48)
                : Long.parseLong(o.get("--seed"));
        Duration length = Duration.ofMillis((long) (Double.parseDouble(o.get("--minutes")) * 60_000));
        Path dir = o.get("--dir").isEmpty() ? Files.createTempDirectory("fw-chaos-" + seed) : Path.of(o.get("--dir"));
        Files.createDirectories(dir);
        List<String> violations = new ChaosRun(seed, length, Path.of(o.get("--jar")).toAbsolutePath(), dir,
                System.out, o.get("--protocol"), o.get("--launcher")).run();
        if (violations.isEmpty()) {
            deleteTree(dir);
        }
        System.exit(violations.isEmpty() ? 0 : 1);
    }

    static void deleteTree(Path root) throws java.io.IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
