package org.flamenco.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineReaderTest {
    private static List<String> read(byte[] bytes) throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        new LineReader(new ByteArrayInputStream(bytes), lines::add).readAll();
        return lines;
    }

    private static List<String> read(String text) throws IOException, InterruptedException {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads {@code bytes} handing out at most {@code chunk} bytes per read call. */
    private static List<String> readInChunks(byte[] bytes, int chunk) throws IOException, InterruptedException {
        InputStream chunked = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
        List<String> lines = new ArrayList<>();
        new LineReader(chunked, lines::add).readAll();
        return lines;
    }

    @Test
    void endOfBurst_followsTheLinesOfEachReadAndTheLastLineWithoutLineEnd() throws Exception {
        byte[] bytes = "a\nb\nc\nd".getBytes(StandardCharsets.US_ASCII);
        InputStream twoPerRead = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 4));
            }
        };
        List<String> events = new ArrayList<>();

        new LineReader(twoPerRead, new LineSink() {
            @Override
            public void line(String line) {
                events.add(line);
            }

            @Override
            public void endOfBurst() {
                events.add("|");
            }
        }).readAll();

        // reads: "a\nb\n", "c\nd", then end of stream: the unterminated "d" is delivered and ends a burst of its own
        assertThat(events).containsExactly("a", "b", "|", "c", "|", "d", "|");
    }

    @Test
    void splitsOnLfCrLfAndLoneCr() throws Exception {
        assertThat(read("a\nb\r\nc\rd\r\re\n")).containsExactly("a", "b", "c", "d", "", "e");
    }

    @Test
    void deliversLastLineWithoutLineEnd() throws Exception {
        assertThat(read("first\nlast")).containsExactly("first", "last");
    }

    @Test
    void stripsTrailingWhitespaceOnly() throws Exception {
        assertThat(read("  indented  \t\nx \n")).containsExactly("  indented", "x");
    }

    @Test
    void crLfSplitAcrossReadsIsOneLineEnd() throws Exception {
        InputStream trickle = new InputStream() {
            private final byte[] data = "one\r\ntwo\r\n".getBytes(StandardCharsets.US_ASCII);
            private int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= data.length) {
                    return -1;
                }
                b[off] = data[pos++];
                return 1;
            }
        };
        List<String> lines = new ArrayList<>();

        new LineReader(trickle, lines::add).readAll();

        assertThat(lines).containsExactly("one", "two");
    }

    @Test
    void invalidUtf8BecomesReplacementCharacter() throws Exception {
        byte[] bytes = {'o', 'k', (byte) 0xff, (byte) 0xc3, '!', '\n'};

        assertThat(read(bytes)).containsExactly("ok\uFFFD\uFFFD!");
    }

    @Test
    void cutsLongLinesIntoPiecesOfAtMost64KiBAtCharacterBoundaries() throws Exception {
        String big = "é".repeat(300_000) + "\n"; // 2 bytes each: 600,000 bytes

        List<String> lines = read(big);

        assertThat(lines).allSatisfy(l -> assertThat(l.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(LineReader.MAX_LINE_BYTES));
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("\uFFFD"));
        assertThat(String.join("", lines)).isEqualTo("é".repeat(300_000));
    }

    @Test
    void aPieceThatOutgrows64KiBThroughItsReplacementCharacters_isDeliveredInPiecesThatFit() throws Exception {
        byte[] bytes = new byte[100_001];
        Arrays.fill(bytes, (byte) 0xff); // each invalid byte becomes U+FFFD: 3 bytes of UTF-8
        bytes[100_000] = '\n';

        List<String> lines = read(bytes);

        assertThat(lines).allSatisfy(l -> assertThat(l.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(LineReader.MAX_LINE_BYTES));
        assertThat(String.join("", lines)).isEqualTo("\uFFFD".repeat(100_000));
    }

    @Test
    void cutsAnOddlyAlignedMultiByteCharacterBeforeIt() throws Exception {
        String big = "ab" + "€".repeat(30_000); // 2 + 90,000 bytes: byte 65,536 lies inside a €

        List<String> lines = read(big);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).getBytes(StandardCharsets.UTF_8).length).isEqualTo(65_534);
        assertThat(String.join("", lines)).isEqualTo(big);
    }

    @Test
    void asciiAndNonAsciiLinesMixedInOneReadEachDecodeRight() throws Exception {
        assertThat(read("plain\nFrame 1 · 2 s\nplain again\n\u00e9t\u00e9\nend"))
                .containsExactly("plain", "Frame 1 · 2 s", "plain again", "\u00e9t\u00e9", "end");
    }

    @Test
    void aCharacterWhoseBytesArriveInSeparateReadsIsDecodedWhole() throws Exception {
        byte[] bytes = "ascii start then €uro and ascii\nnext\n".getBytes(StandardCharsets.UTF_8);

        for (int chunk = 1; chunk <= 7; chunk++) {
            assertThat(readInChunks(bytes, chunk)).as("chunk %d", chunk)
                    .containsExactly("ascii start then €uro and ascii", "next");
        }
    }

    @Test
    void aLongLineCutInTheReadThatBringsItsFirstNonAsciiByteIsDecodedAsUtf8() throws Exception {
        String big = "a".repeat(65_000) + "é".repeat(20_000) + "\n"; // the 65,536-byte cut lies among the é
        // 30,000 bytes per read: the cut falls in a read without the line end; 60,000: in the one with it.
        for (int chunk : new int[] {30_000, 60_000}) {
            List<String> lines = readInChunks(big.getBytes(StandardCharsets.UTF_8), chunk);

            assertThat(lines).as("chunk %d", chunk).hasSize(2);
            assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("\uFFFD").doesNotContain("Ã"));
            assertThat(String.join("", lines)).isEqualTo(big.strip());
        }
    }

    @Test
    void asciiLinesLoseTheSameTrailingWhitespaceAsOthers() throws Exception {
        assertThat(read("a \t\u000b\f\u001c\u001f\nb\u001b\n")).containsExactly("a", "b\u001b");
        assertThat(read("é \t\u000b\f\u001c\u001f\nb\u001b\n")).containsExactly("é", "b\u001b");
    }

    @Test
    void emptyStreamGivesNoLines() throws Exception {
        assertThat(read("")).isEmpty();
    }
}
