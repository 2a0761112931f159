package org.flamenco.worker.chaos;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.flamenco.worker.embedded.TaskSpec;

/**
 * The tasks a chaos run feeds: a shell script printing lines {@code L<tag>:1..count} in one of several shapes
 * (steady trickle, burst at full speed, lines over 64 KiB, non-UTF-8 bytes, a background grandchild). Every
 * process of a task carries {@code marker} on its command line, so leftovers can be found.
 */
final class TaskShapes {
    /** A task to add: its spec, its tag and how many numbered lines it prints. */
    record Shaped(TaskSpec spec, int tag, long count, String shape) {
    }

    private TaskShapes() {
    }

    static Shaped next(Random random, int tag, String marker) {
        int kind = random.nextInt(10);
        String shape;
        long count;
        String body;
        if (kind < 3) {
            shape = "steady";
            count = 200 + random.nextInt(2800);
            body = "i=1; while [ $i -le " + count + " ]; do echo \"L" + tag + ":$i steady\"; "
                    + "[ $((i % 50)) -eq 0 ] && sleep 0.05; i=$((i+1)); done";
        } else if (kind < 5) {
            shape = "burst";
            count = 20_000 + random.nextInt(180_000);
            body = "seq -f \"L" + tag + ":%.0f burst line with some text in it\" 1 " + count;
        } else if (kind < 6) {
            shape = "long-lines";
            count = 3 + random.nextInt(15);
            body = "i=1; while [ $i -le " + count + " ]; do printf \"L" + tag + ":%d \" $i; "
                    + "head -c " + (70_000 + random.nextInt(60_000)) + " /dev/zero | tr \"\\\\000\" x; echo; "
                    + "i=$((i+1)); done";
        } else if (kind < 8) {
            shape = "bad-bytes";
            count = 50 + random.nextInt(450);
            body = "i=1; while [ $i -le " + count + " ]; do printf \"L" + tag + ":%d \\\\377\\\\376 caf\\\\303\\\\251"
                    + " \\\\355\\\\240\\\\200 \\\\342\\\\202 end\\\\n\" $i; i=$((i+1)); done";
        } else {
            shape = "grandchild";
            count = 100 + random.nextInt(900);
            body = "sh -c \"sleep 600; :\" " + marker + "-gc >/dev/null 2>&1 & i=1; while [ $i -le " + count
                    + " ]; do echo \"L" + tag + ":$i with a grandchild\"; [ $((i % 20)) -eq 0 ] && sleep 0.05; "
                    + "i=$((i+1)); done";
        }
        String cmd = "sh -c '" + body + "' " + marker;
        TaskSpec spec = new TaskSpec("t" + tag, "debug", List.of(TaskSpec.command("exec", Map.of("cmd", cmd))));
        return new Shaped(spec, tag, count, shape);
    }
}
