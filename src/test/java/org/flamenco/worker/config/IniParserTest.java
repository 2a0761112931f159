package org.flamenco.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IniParserTest {
    @TempDir
    Path dir;

    private Map<String, Map<String, RawValue>> parse(String text) throws IOException, ConfigException {
        Path file = dir.resolve("test.cfg");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return IniParser.parse(file);
    }

    private String value(Map<String, Map<String, RawValue>> ini, String section, String key) {
        return ini.get(section).get(key).text();
    }

    @Test
    void hashAfterValueIsPartOfTheValue() throws Exception {
        var ini = parse("[s]\ntask_types = sleep # x\n");

        assertThat(value(ini, "s", "task_types")).isEqualTo("sleep # x");
    }

    @Test
    void fullLineCommentsWithHashOrSemicolonAreSkipped() throws Exception {
        var ini = parse("# top\n[s]\n  ; indented comment\na = 1\n# comment\nb: 2\n");

        assertThat(ini.get("s")).containsOnlyKeys("a", "b");
        assertThat(value(ini, "s", "b")).isEqualTo("2");
    }

    @Test
    void indentedLinesContinueTheValueJoinedWithNewlines() throws Exception {
        var ini = parse("[s]\nkey = first\n   second\n\n   third\nnext = x\n");

        assertThat(value(ini, "s", "key")).isEqualTo("first\nsecond\n\nthird");
        assertThat(value(ini, "s", "next")).isEqualTo("x");
    }

    @Test
    void trailingBlankLinesOfAValueAreDropped() throws Exception {
        var ini = parse("[s]\nkey = value\n\n\n[t]\n");

        assertThat(value(ini, "s", "key")).isEqualTo("value");
    }

    @Test
    void keysAreLowerCasedAndSectionsKeepTheirCase() throws Exception {
        var ini = parse("[Flamenco-Worker]\nManager_URL = http://a/\n");

        assertThat(ini).containsOnlyKeys("Flamenco-Worker");
        assertThat(ini.get("Flamenco-Worker")).containsOnlyKeys("manager_url");
    }

    @Test
    void backslashesAndPercentSignsAreLiteral() throws Exception {
        var ini = parse("[s]\npath = C:\\render\\new\\t.db\nformat = %(asctime)-15s %(name)s\n");

        assertThat(value(ini, "s", "path")).isEqualTo("C:\\render\\new\\t.db");
        assertThat(value(ini, "s", "format")).isEqualTo("%(asctime)-15s %(name)s");
    }

    @Test
    void leadingByteOrderMarkIsIgnored() throws Exception {
        var ini = parse("\uFEFF[s]\na = 1\n");

        assertThat(ini).containsOnlyKeys("s");
    }

    @Test
    void emptyValuesAndWindowsLineEndingsAreAccepted() throws Exception {
        var ini = parse("[s]\r\nmanager_url =\r\nb=2\r\n");

        assertThat(value(ini, "s", "manager_url")).isEmpty();
        assertThat(value(ini, "s", "b")).isEqualTo("2");
    }

    @Test
    void duplicateKeyInOneFileIsAnError() {
        assertThatThrownBy(() -> parse("[s]\na = 1\nA = 2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("test.cfg") + ": line 3: key \"a\" appears twice in the same section");
    }

    @Test
    void duplicateSectionInOneFileIsAnError() {
        assertThatThrownBy(() -> parse("[s]\na = 1\n[s]\nb = 2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("test.cfg") + ": line 3: section [s] appears twice");
    }

    @Test
    void keyBeforeAnySectionIsAnError() {
        assertThatThrownBy(() -> parse("a = 1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 1: expected a [section] header");
    }

    @Test
    void lineWithoutDelimiterIsAnError() {
        assertThatThrownBy(() -> parse("[s]\njust words\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 2: expected \"key = value\"");
    }

    @Test
    void invalidUtf8IsAnError() throws IOException {
        Path file = dir.resolve("bad.cfg");
        Files.write(file, new byte[] {'[', 's', ']', '\n', 'a', '=', (byte) 0xff, '\n'});

        assertThatThrownBy(() -> IniParser.parse(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": expected UTF-8 text, found invalid bytes");
    }
}
