package org.flamenco.worker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Per test: a fresh {@link EmbeddedManager} on an ephemeral port and one worker, {@code node-01}, registered through
 * {@link #client}; afterwards the Manager is closed and none of its request threads may outlive it. Tests of the v2
 * endpoints extend this and use {@link #manager}, {@link #client} and {@link #workerId}.
 */
abstract class RegisteredWorkerFixture {
    EmbeddedManager manager;
    ManagerClient client;
    String workerId;

    /** The task types {@code node-01} registers with. */
    List<String> taskTypes() {
        return List.of("sleep");
    }

    @BeforeEach
    final void startManagerAndRegister() throws Exception {
        manager = new EmbeddedManager().start();
        client = new ManagerClient(manager.url());
        workerId = client.register("node-01", taskTypes());
    }

    @AfterEach
    final void closeAndCheckNoThreadLeaked() {
        manager.close();

        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive)
                .extracting(Thread::getName).noneMatch(n -> n.startsWith("fw-embedded-manager-"));
    }
}
