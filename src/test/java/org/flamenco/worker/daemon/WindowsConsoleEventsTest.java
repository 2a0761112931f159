package org.flamenco.worker.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.process.WindowsConsole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What each Windows console event does (the registration itself needs Windows; the mapping is tested anywhere). */
@Timeout(30)
class WindowsConsoleEventsTest {
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final SignalHandlers.Target target = new SignalHandlers.Target() {
        @Override
        public void shutdownSignal(int signalNumber, String name) {
            received.add(signalNumber + " " + name);
        }

        @Override
        public void sleepSignal() {
            received.add("sleep");
        }

        @Override
        public void wakeSignal() {
            received.add("wake");
        }

        @Override
        public void statusSignal() {
            received.add("status");
        }
    };

    @Test
    void ctrlBreakIsACleanShutdownInsteadOfTheJvmsThreadDump() {
        boolean handled = SignalHandlers.consoleEvent(WindowsConsole.CTRL_BREAK_EVENT, target, new CountDownLatch(1));

        assertThat(handled).isTrue();
        assertThat(received).containsExactly("21 CTRL_BREAK_EVENT");
    }

    @Test
    void ctrlCAndLogoffAreLeftToTheJvm() {
        CountDownLatch exiting = new CountDownLatch(1);

        assertThat(SignalHandlers.consoleEvent(WindowsConsole.CTRL_C_EVENT, target, exiting)).isFalse();
        assertThat(SignalHandlers.consoleEvent(WindowsConsole.CTRL_LOGOFF_EVENT, target, exiting)).isFalse();
        assertThat(received).isEmpty();
    }

    @Test
    void closeAndShutdownStartTheShutdownAndHoldTheEventUntilTheJvmExits() throws Exception {
        CountDownLatch exiting = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        Thread windows = new Thread(() -> {
            SignalHandlers.consoleEvent(WindowsConsole.CTRL_CLOSE_EVENT, target, exiting);
            returned.countDown();
        });
        windows.start();

        org.awaitility.Awaitility.await().until(() -> received.contains("15 CTRL_CLOSE_EVENT"));
        assertThat(returned.await(200, TimeUnit.MILLISECONDS)).isFalse(); // still held: Windows would end us now
        exiting.countDown();
        assertThat(returned.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(SignalHandlers.consoleEvent(WindowsConsole.CTRL_SHUTDOWN_EVENT, target, exiting)).isTrue();
        assertThat(received).containsExactly("15 CTRL_CLOSE_EVENT", "15 CTRL_SHUTDOWN_EVENT");
    }

    @Test
    void noConsoleRegistrationOffWindows() {
        assertThat(WindowsConsole.register(event -> true)).isEmpty();
    }
}
