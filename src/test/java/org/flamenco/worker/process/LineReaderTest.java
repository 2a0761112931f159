package org.flamenco.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    void cutsAnOddlyAlignedMultiByteCharacterBeforeIt() throws Exception {
        String big = "ab" + "€".repeat(30_000); // 2 + 90,000 bytes: byte 65,536 lies inside a €

        List<String> lines = read(big);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).getBytes(StandardCharsets.UTF_8).length).isEqualTo(65_534);
        assertThat(String.join("", lines)).isEqualTo(big);
    }

    @Test
    void emptyStreamGivesNoLines() throws Exception {
        assertThat(read("")).isEmpty();
    }
}
