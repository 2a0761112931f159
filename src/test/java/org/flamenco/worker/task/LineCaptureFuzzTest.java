package org.flamenco.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.process.LineReader;
import org.flamenco.worker.process.LineSink;
import org.flamenco.worker.testing.Fuzz;
import org.flamenco.worker.testing.RecordingOutbox;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing log line capture: random byte streams (invalid UTF-8, NULs, CR/LF/CRLF mixes, lines far over 64 KiB),
 * delivered in random read sizes, through the {@link LineReader} and an {@link Execution} into the outbox. What is
 * captured must be the same text as the bytes decoded line by line, modulo the documented repairs: invalid UTF-8
 * as U+FFFD (a run of them may come out longer or shorter where a line was cut), trailing whitespace removed, and
 * lines over 64 KiB of UTF-8 cut into pieces that each fit.
 */
class LineCaptureFuzzTest {
    private static final int MAX = 65_536;

    @Test
    void randomByteStreams_arriveAsTheSameTextModuloUtf8RepairAndTheSplit() {
        Fuzz.forAll("line capture", 100, LineCaptureFuzzTest::stream, b -> HexFormat.of().formatHex(b),
                LineCaptureFuzzTest::check);
    }

    private static void check(byte[] bytes) throws Exception {
        RecordingOutbox outbox = new RecordingOutbox();
        Execution execution = new Execution(new ExecutionId("task", "exec-1"), outbox, 1);
        Random chunks = new Random(bytes.length);
        new LineReader(new ChoppyStream(bytes, chunks), new LineSink() {
            @Override
            public void line(String line) {
                execution.outputLine(line);
            }

            @Override
            public void endOfBurst() {
                execution.flushOutput();
            }
        }).readAll();
        execution.flushOutput();
        List<String> captured = outbox.logLines();
        for (String piece : captured) {
            assertThat(piece.getBytes(StandardCharsets.UTF_8).length).as("a captured piece's UTF-8 length")
                    .isLessThanOrEqualTo(MAX);
        }
        List<String> expected = expectedLines(bytes);
        int next = 0;
        for (int i = 0; i < expected.size(); i++) {
            String want = normal(expected.get(i));
            assertThat(next).as("captured lines run out at expected line %d of %d", i, expected.size())
                    .isLessThan(captured.size());
            StringBuilder got = new StringBuilder(captured.get(next++));
            while (!want.isEmpty() && normal(got.toString()).length() < want.length() && next < captured.size()
                    && want.startsWith(normal(got.toString()))) {
                got.append(captured.get(next++));
            }
            assertThat(normal(got.toString())).as("line %d", i).isEqualTo(want);
        }
        assertThat(captured).hasSize(next);
    }

    /** The lines as decoded whole: split at \n, \r\n and \r; a last line without an end counts if not empty. */
    private static List<String> expectedLines(byte[] b) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                out.add(decode(b, start, i));
                if (b[i] == '\r' && i + 1 < b.length && b[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < b.length) {
            out.add(decode(b, start, b.length));
        }
        return out;
    }

    private static String decode(byte[] b, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(b, from, to - from))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs of U+FFFD as one, whitespace dropped (trailing whitespace goes per line and per piece). */
    private static String normal(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                continue;
            }
            if (c == '\uFFFD' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '\uFFFD') {
                continue;
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static byte[] stream(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lines = 1 + r.nextInt(40);
        for (int i = 0; i < lines; i++) {
            int kind = r.nextInt(10);
            if (kind < 4) {
                byte[] b = Fuzz.bytes(r, 300);
                out.writeBytes(b);
            } else if (kind < 7) {
                out.writeBytes(Fuzz.anyString(r, 200).getBytes(StandardCharsets.UTF_8));
            } else if (kind < 9) {
                // A long line: multi-byte characters and stray invalid bytes, so cuts fall inside characters.
                int n = 20_000 + r.nextInt(50_000);
                StringBuilder sb = new StringBuilder();
                while (sb.length() < n) {
                    sb.append(Fuzz.oneOf(r, "a", "é", "€", "😀", "x", "ü"));
                }
                byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
                for (int k = 0; k < 5; k++) {
                    text[r.nextInt(text.length)] = (byte) (0x80 + r.nextInt(0x80));
                }
                out.writeBytes(text);
            } else {
                byte[] junk = new byte[66_000 + r.nextInt(80_000)];
                r.nextBytes(junk);
                for (int k = 0; k < junk.length; k++) {
                    if (junk[k] == '\n' || junk[k] == '\r') {
                        junk[k] = (byte) 0xFF;
                    }
                }
                out.writeBytes(junk);
            }
            out.writeBytes(Fuzz.oneOf(r, "\n", "\r\n", "\r", "\n", "\n\n", "\r\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        if (r.nextBoolean()) {
            out.writeBytes(Fuzz.bytes(r, 50)); // a last line without a line end
        }
        return out.toByteArray();
    }

    /** Returns the bytes in reads of random size, as a pipe does. */
    private static final class ChoppyStream extends InputStream {
        private final byte[] data;
        private final Random random;
        private final int maxRead;
        private int pos;

        ChoppyStream(byte[] data, Random random) {
            this.data = data;
            this.random = random;
            this.maxRead = random.nextInt(4) == 0 ? 16 : 70_000;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, data.length - pos), 1 + random.nextInt(maxRead));
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
