package org.flamenco.worker.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.testing.NotifySocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SystemdNotifierTest {
    @Test
    void sendsToASocketFile(@TempDir Path dir) throws Exception {
        try (NotifySocket socket = NotifySocket.atPath(dir);
             SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.name()))
                     .orElseThrow()) {

            boolean sent = notifier.send("READY=1\nSTATUS=awake, idle");

            assertThat(sent).isTrue();
            assertThat(socket.received().poll(10, TimeUnit.SECONDS)).isEqualTo("READY=1\nSTATUS=awake, idle");
        }
    }

    @Test
    void sendsToAnAbstractSocket() throws Exception {
        try (NotifySocket socket = NotifySocket.abstractNamed("abstract");
             SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.name()))
                     .orElseThrow()) {

            notifier.send("WATCHDOG=1");

            assertThat(socket.received().poll(10, TimeUnit.SECONDS)).isEqualTo("WATCHDOG=1");
        }
    }

    @Test
    void aSocketThatIsGoneIsAFailedSendNotAnError(@TempDir Path dir) throws Exception {
        try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(
                Map.of("NOTIFY_SOCKET", dir.resolve("nobody.sock").toString())).orElseThrow()) {

            assertThat(notifier.send("STOPPING=1")).isFalse();
        }
    }

    @Test
    void noNotifierWithoutAUsableNotifySocket() {
        assertThat(SystemdNotifier.fromEnvironment(Map.of())).isEmpty();
        assertThat(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", ""))).isEmpty();
        assertThat(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "relative.sock"))).isEmpty();
        assertThat(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "/" + "x".repeat(200)))).isEmpty();
    }

    @Test
    void watchdogIntervalIsForThisProcessOnly() {
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "3000000"), 42))
                .contains(Duration.ofSeconds(3));
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "3000000", "WATCHDOG_PID", "42"), 42))
                .contains(Duration.ofSeconds(3));
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "3000000", "WATCHDOG_PID", "7"), 42))
                .isEmpty();
        assertThat(SystemdNotifier.watchdogInterval(Map.of(), 42)).isEmpty();
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "soon"), 42)).isEmpty();
    }
}
