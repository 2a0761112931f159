package org.flamenco.worker.manager.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.flamenco.worker.model.LogText;

class LogTextSerializerTest {
    private final ObjectMapper json = new ObjectMapper();

    private byte[] jacksonString(String s) throws Exception {
        byte[] quoted = json.writeValueAsBytes(s);
        byte[] inner = new byte[quoted.length - 2];
        System.arraycopy(quoted, 1, inner, 0, inner.length);
        return inner;
    }

    private static byte[] escapedUtf8(LogText text) {
        LogText.Json json = text.json();
        return Arrays.copyOf(json.bytes(), json.length());
    }

    private static byte[] escapedUtf8(String s) {
        return escapedUtf8(LogText.of(s));
    }

    @Test
    void everyAsciiCharacter_isEscapedExactlyAsJacksonDoes() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            all.append(c);
        }
        String s = all.toString();

        assertThat(new String(escapedUtf8(s), StandardCharsets.UTF_8))
                .isEqualTo(new String(jacksonString(s), StandardCharsets.UTF_8))
                .contains("\\n", "\\t", "\\u0000", "\\u001F", "\\\"", "\\\\");
    }

    @Test
    void randomLogText_withUnicodeAndControls_matchesJacksonAndDecodesBack() throws Exception {
        Random random = new Random(42);
        String alphabet = "abc XYZ 0123 \n\r\t\"\\/\u0001\u001b[0m é ß € 日本 \uD83C\uDFAC \uFFFD \u2028";
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(300);
            for (int i = 0; i < n; i++) {
                int at = random.nextInt(alphabet.length());
                if (Character.isHighSurrogate(alphabet.charAt(at))) {
                    sb.append(alphabet, at, at + 2);
                } else if (!Character.isLowSurrogate(alphabet.charAt(at))) {
                    sb.append(alphabet.charAt(at));
                }
            }
            String s = sb.toString();
            byte[] escaped = escapedUtf8(s);
            byte[] quoted = new byte[escaped.length + 2];
            quoted[0] = '"';
            System.arraycopy(escaped, 0, quoted, 1, escaped.length);
            quoted[quoted.length - 1] = '"';
            assertThat(json.readValue(quoted, String.class)).as("text %s", s).isEqualTo(s);
            if (s.codePoints().allMatch(Character::isBmpCodePoint)) {
                // Jackson's byte writer escapes a surrogate pair as two escapes; ours writes its 4 UTF-8 bytes.
                assertThat(escaped).as("text %s", s).isEqualTo(jacksonString(s));
            }
        }
    }

    @Test
    void taskUpdateDocument_carriesTheLogAsAJsonStringThatDecodesBack() throws Exception {
        String log = "2020-03-12T10:00:00.123456+00:00: Fra:1 \"quoted\" C:\\path\n"
                + "2020-03-12T10:00:00.123457+00:00: Ünïcode \uD83C\uDFAC\ttab";
        TaskUpdateDoc doc = new TaskUpdateDoc("active", "rendering", 0, 10, 20, null, LogText.of(log));

        byte[] fast = json.writeValueAsBytes(doc);
        String viaString = json.writeValueAsString(doc);

        assertThat(new String(fast, StandardCharsets.UTF_8)).isEqualTo(viaString);
        assertThat(json.readValue(fast, Map.class)).containsEntry("log", log).containsEntry("activity", "rendering");
    }

    @Test
    void pieces_areJoinedWithAnEscapedNewline_likeTheJoinedString() throws Exception {
        List<byte[]> pieces = List.of("first \"line\"\nsecond".getBytes(StandardCharsets.UTF_8),
                "third\tC:\\x".getBytes(StandardCharsets.UTF_8), new byte[0], "é".getBytes(StandardCharsets.UTF_8));
        String joined = "first \"line\"\nsecond\nthird\tC:\\x\n\né";

        assertThat(escapedUtf8(LogText.ofUtf8(pieces))).isEqualTo(jacksonString(joined));
        assertThat(LogText.ofUtf8(pieces).text()).isEqualTo(joined);
        assertThat(LogText.ofUtf8(pieces).utf8Length()).isEqualTo(joined.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void malformedUtf8FromADamagedQueue_becomesReplacementCharacters_andTheJsonStaysValid() throws Exception {
        byte[] damaged = {'a', (byte) 0xC3, 'b', (byte) 0x80, (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'c',
                (byte) 0xF0, (byte) 0x9F, 'd', (byte) 0xE2, (byte) 0x82};
        byte[] escaped = escapedUtf8(LogText.ofUtf8(List.of(damaged)));
        byte[] quoted = new byte[escaped.length + 2];
        quoted[0] = '"';
        System.arraycopy(escaped, 0, quoted, 1, escaped.length);
        quoted[quoted.length - 1] = '"';

        String decoded = json.readValue(quoted, String.class);

        assertThat(decoded).startsWith("a\uFFFDb\uFFFD").contains("c").contains("d").endsWith("\uFFFD")
                .doesNotContain("\uD800");
        String strict = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(escaped)).toString();
        assertThat(strict).doesNotContain("\u00C3"); // decoding strictly throws on malformed input
    }

    @Test
    void longText_growsTheBufferAcrossManyEscapes() throws Exception {
        String s = "\u0001\"".repeat(50_000) + "x".repeat(70_000);
        byte[] escaped = escapedUtf8(s);
        assertThat(escaped).isEqualTo(jacksonString(s));
    }
}
