package org.flamenco.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.flamenco.worker.testing.NoLeakedProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Group membership without /proc: the {@code ps} table macOS uses (Linux's procps prints the same columns). */
@Timeout(60)
@ExtendWith(NoLeakedProcesses.class)
class GroupMembersTest {
    @TempDir
    Path dir;

    @Test
    void zombiesDoNotCountAndOtherGroupsAreNotMistakenForIt() {
        String table = "  501 Ss\n 4242 Z\n14242 S+\n 4242 Z+\n";

        assertThat(GroupMembers.livingIn(table, 4242)).isFalse();
        assertThat(GroupMembers.livingIn(table + " 4242 R+\n", 4242)).isTrue();
        assertThat(GroupMembers.livingIn(table, 14242)).isTrue();
    }

    @Test
    void psSeesASpawnedGroupWhileItRunsAndNotAfterItWasKilled() throws Exception {
        ChildProcess child = LauncherKind.SPAWN.create(SubprocessPriority.INHERITED)
                .start(new LaunchRequest(List.of("sleep", "1000"), dir));

        assertThat(GroupMembers.psListsLiving(child.pid())).isTrue();
        child.signalGroup(ExitStatus.SIGKILL);
        assertThat(child.waitFor(Duration.ofSeconds(10))).contains(new ExitStatus(0, ExitStatus.SIGKILL));

        assertThat(GroupMembers.psListsLiving(child.pid())).isFalse();
    }
}
