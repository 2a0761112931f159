package org.flamenco.worker.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.flamenco.worker.clock.SystemClock;

/** SSDP discovery against a loopback responder (protocol-v2.md §9). */
@Timeout(30)
class SsdpDiscoveryTest {
    private static final String ANSWER = "HTTP/1.1 200 OK\r\n"
            + "cache-control: max-age=3600\r\n"
            + "Location: http://192.168.3.108:8080/\r\n"
            + "EXT:\r\n"
            + "usn: uuid:1234::urn:flamenco:manager:0\r\n"
            + "St: urn:flamenco:manager:0\r\n"
            + "SERVER: Flamenco/2.4\r\n"
            + "\r\n";

    private final List<Responder> responders = new ArrayList<>();

    @AfterEach
    void stopResponders() throws Exception {
        for (Responder r : responders) {
            r.close();
        }
    }

    @Test
    void answerArrivingAfterAnMxDelay_isFoundWithHeadersInAnyOrderAndCase() throws Exception {
        Responder responder = responder(List.of(ANSWER), Duration.ofMillis(300), 1);

        Optional<URI> found = discovery(responder, 3, Duration.ofSeconds(2)).discover();

        assertThat(found).contains(URI.create("http://192.168.3.108:8080/"));
        assertThat(responder.received).first().asString().isEqualTo(SsdpDiscovery.MESSAGE);
    }

    @Test
    void eachRoundSendsTheSearchTwice() throws Exception {
        Responder silent = responder(List.of(), Duration.ZERO, 0);

        Optional<URI> found = discovery(silent, 2, Duration.ofMillis(300)).discover();

        assertThat(found).isEmpty();
        assertThat(silent.awaitFourSearches()).isTrue();
        assertThat(silent.received).hasSize(4).allMatch(SsdpDiscovery.MESSAGE::equals);
    }

    @Test
    void nothingAnswering_givesEmptyAfterTheLastRound() throws Exception {
        Responder silent = responder(List.of(), Duration.ZERO, 0);
        SystemClock clock = new SystemClock();
        long start = clock.nanoTime();

        Optional<URI> found = discovery(silent, 2, Duration.ofMillis(200)).discover();

        assertThat(found).isEmpty();
        assertThat(Duration.ofNanos(clock.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void answerToAnEarlierRound_stillCounts() throws Exception {
        // Answers after 500 ms, but each round listens only 200 ms: the answer lands in a later round.
        Responder late = responder(List.of(ANSWER), Duration.ofMillis(500), 1);

        Optional<URI> found = discovery(late, 5, Duration.ofMillis(200)).discover();

        assertThat(found).contains(URI.create("http://192.168.3.108:8080/"));
    }

    @Test
    void unacceptableDatagrams_areIgnoredUntilAGoodAnswer() throws Exception {
        List<String> datagrams = List.of(
                "NOTIFY * HTTP/1.1\r\nLOCATION: http://10.0.0.1:1/\r\nNT: urn:flamenco:manager:0\r\n\r\n",
                "HTTP/1.1 404 Not Found\r\nLOCATION: http://10.0.0.2:1/\r\n\r\n",
                "HTTP/1.1 200 OK\r\nST: urn:other:device:1\r\nLOCATION: http://10.0.0.3:1/\r\n\r\n",
                "HTTP/1.1 200 OK\r\nST: urn:flamenco:manager:0\r\nLOCATION: ftp://10.0.0.4/\r\n\r\n",
                "garbage",
                ANSWER);
        Responder responder = responder(datagrams, Duration.ofMillis(50), 1);

        Optional<URI> found = discovery(responder, 2, Duration.ofSeconds(2)).discover();

        assertThat(found).contains(URI.create("http://192.168.3.108:8080/"));
    }

    @Test
    void interruptingTheDiscovery_endsItPromptly() throws Exception {
        Responder silent = responder(List.of(), Duration.ZERO, 0);
        SsdpDiscovery discovery = discovery(silent, 5, Duration.ofSeconds(5));
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                discovery.discover();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        }, "fw-test-ssdp-discover");
        t.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> silent.received.size() >= 2);

        t.interrupt();

        assertThat(outcome.get(3, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        t.join(2000);
        assertThat(t.isAlive()).isFalse();
    }

    @Test
    void flamenco3DescriptionLocation_isReducedToTheBaseUrl() {
        Optional<URI> url = SsdpDiscovery.parseAnswer("HTTP/1.1 200 OK\r\n"
                + "LOCATION: https://mgr.local:8443/upnp/description.xml\r\n\r\n");

        assertThat(url).contains(URI.create("https://mgr.local:8443/"));
    }

    @Test
    void answerWithoutSt_isAccepted() {
        assertThat(SsdpDiscovery.parseAnswer("HTTP/1.1 200 OK\nlocation: http://h:8080/\n\n"))
                .contains(URI.create("http://h:8080/"));
    }

    private static String flamenco3Answer(String host, int port) {
        return "HTTP/1.1 200 OK\r\n"
                + "CACHE-CONTROL: max-age=3600\r\n"
                + "LOCATION: http://" + host + ":" + port + "/upnp/description.xml\r\n"
                + "ST: urn:flamenco:manager:0\r\n"
                + "USN: uuid:aa80bc5f-d0af-46b8-8630-23bd7e80ec4d::urn:flamenco:manager:0\r\n"
                + "\r\n";
    }

    @Test
    void severalFlamenco3Addresses_theFirstThatAnswersTheVersionCheckWins() throws Exception {
        // One Manager advertising three addresses; only the third answers GET /api/v3/version from here.
        Responder responder = responder(List.of(flamenco3Answer("10.9.0.1", 8080), flamenco3Answer("10.9.0.2", 8080),
                flamenco3Answer("127.0.0.1", 8080)), Duration.ofMillis(50), 1);
        List<URI> checked = new CopyOnWriteArrayList<>();
        SsdpDiscovery.VersionCheck check = base -> {
            checked.add(base);
            return base.getHost().equals("127.0.0.1");
        };

        Optional<URI> found = new SsdpDiscovery(new SystemClock(), List.of(responder.address()), 2,
                Duration.ofSeconds(2), check).discover();

        assertThat(found).contains(URI.create("http://127.0.0.1:8080/"));
        assertThat(checked).containsExactly(URI.create("http://10.9.0.1:8080/"), URI.create("http://10.9.0.2:8080/"),
                URI.create("http://127.0.0.1:8080/"));
    }

    @Test
    void flamenco3AnswerThatNeverConfirms_isUsedAtTheEndOfTheRound() throws Exception {
        Responder responder = responder(List.of(flamenco3Answer("10.9.0.1", 8080), flamenco3Answer("10.9.0.1", 8080)),
                Duration.ofMillis(50), 1);
        List<URI> checked = new CopyOnWriteArrayList<>();

        Optional<URI> found = new SsdpDiscovery(new SystemClock(), List.of(responder.address()), 3,
                Duration.ofMillis(700), base -> checked.add(base) && false).discover();

        assertThat(found).contains(URI.create("http://10.9.0.1:8080/"));
        assertThat(checked).as("each address is checked once").hasSize(1);
        assertThat(responder.received).as("no second round").hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void flamenco2Answer_winsWithoutAVersionCheck() throws Exception {
        Responder responder = responder(List.of(ANSWER), Duration.ofMillis(50), 1);
        List<URI> checked = new CopyOnWriteArrayList<>();

        Optional<URI> found = new SsdpDiscovery(new SystemClock(), List.of(responder.address()), 2,
                Duration.ofSeconds(2), base -> checked.add(base)).discover();

        assertThat(found).contains(URI.create("http://192.168.3.108:8080/"));
        assertThat(checked).isEmpty();
    }

    private SsdpDiscovery discovery(Responder responder, int rounds, Duration listen) {
        return new SsdpDiscovery(new SystemClock(), List.of(responder.address()), rounds, listen);
    }

    private Responder responder(List<String> answers, Duration delay, int answerAfterSearches) throws Exception {
        Responder r = new Responder(answers, delay, answerAfterSearches);
        responders.add(r);
        r.start();
        return r;
    }

    /** A UDP socket on 127.0.0.1 that records searches and answers the sender after a delay. */
    private static final class Responder implements AutoCloseable {
        final List<String> received = Collections.synchronizedList(new ArrayList<>());
        private final DatagramSocket socket;
        private final List<String> answers;
        private final Duration delay;
        private final int answerAfterSearches;
        private final Thread thread;
        private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                r -> new Thread(r, "fw-test-ssdp-answer"));
        private final CountDownLatch fourSearches = new CountDownLatch(4);

        Responder(List<String> answers, Duration delay, int answerAfterSearches) throws Exception {
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            this.answers = answers;
            this.delay = delay;
            this.answerAfterSearches = answerAfterSearches;
            this.thread = new Thread(this::run, "fw-test-ssdp-responder");
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        void start() {
            thread.start();
        }

        boolean awaitFourSearches() throws InterruptedException {
            return fourSearches.await(5, TimeUnit.SECONDS);
        }

        private void run() {
            byte[] buf = new byte[4096];
            try {
                while (!socket.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    received.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
                    fourSearches.countDown();
                    if (received.size() == answerAfterSearches) {
                        SocketAddress to = p.getSocketAddress();
                        scheduler.schedule(() -> answer(to), delay.toMillis(), TimeUnit.MILLISECONDS);
                    }
                }
            } catch (IOException e) {
                // socket closed by close(): the responder ends
            }
        }

        private void answer(SocketAddress to) {
            try {
                for (String answer : answers) {
                    byte[] bytes = answer.getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(bytes, bytes.length, to));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            scheduler.shutdownNow();
            thread.join(2000);
            assertThat(thread.isAlive()).as("responder thread ended").isFalse();
            assertThat(scheduler.awaitTermination(2, TimeUnit.SECONDS)).isTrue();
        }
    }
}
