package org.flamenco.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line, batch line and environment block Windows gets: pure functions, tested with Windows inputs. */
class WindowsCommandLineTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "plain                   | plain",
        "C:\\Program Files\\x    | `\"C:\\Program Files\\x\"`",
        "``                      | `\"\"`",
        "say \"hi\"              | `\"say \\\"hi\\\"\"`",
        "C:\\dir\\               | C:\\dir\\",
        "C:\\my dir\\            | `\"C:\\my dir\\\\\"`",
        "a\\\\\"b                | `\"a\\\\\\\\\\\"b\"`",
        "\\\\server\\share\\x    | \\\\server\\share\\x",
    })
    void eachWordIsQuotedSoTheCRuntimeReadsItBack(String word, String expected) {
        StringBuilder line = new StringBuilder();

        WindowsCommandLine.quote(word, line);

        assertThat(line.toString()).isEqualTo(expected);
    }

    @Test
    void wordsAreJoinedWithOneSpace() {
        assertThat(WindowsCommandLine.join(List.of("C:\\Blender Foundation\\blender.exe", "-b", "file.blend")))
                .isEqualTo("\"C:\\Blender Foundation\\blender.exe\" -b file.blend");
    }

    @Test
    void batchFilesRunThroughCmdWithTheirArgumentsQuotedForIt() throws Exception {
        assertThat(WindowsCommandLine.isBatchFile("C:\\tools\\render.CMD")).isTrue();
        assertThat(WindowsCommandLine.isBatchFile("C:\\tools\\render.exe")).isFalse();

        String line = WindowsCommandLine.batchLine("C:\\Windows\\System32\\cmd.exe",
                List.of("C:\\tools\\render.bat", "a b", "x&y", "plain"));

        assertThat(line).isEqualTo("C:\\Windows\\System32\\cmd.exe /d /s /c \"C:\\tools\\render.bat \"a b\" \"x&y\""
                + " plain\"");
    }

    @Test
    void batchFileArgumentsCmdWouldReinterpretAreRefused() {
        for (String bad : List.of("50%", "say \"hi\"", "wow!", "two\nlines")) {
            assertThatThrownBy(() -> WindowsCommandLine.batchLine("cmd.exe", List.of("r.bat", bad)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Cannot run batch file \"r.bat\" with argument");
        }
    }

    @Test
    void environmentBlockIsSortedWithoutCaseEachEntryEndedByNulAndTheBlockByOneMore() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("path", "C:\\bin");
        env.put("ComSpec", "cmd.exe");
        env.put("A", "1");

        assertThat(WindowsCommandLine.environmentBlock(env))
                .isEqualTo("A=1\0ComSpec=cmd.exe\0path=C:\\bin\0\0");
        assertThat(WindowsCommandLine.environmentBlock(Map.of())).isEqualTo("\0\0");
    }

    @Test
    void executableSuffixesComeFromPathextOrWindowsDefault() {
        assertThat(WindowsCommandLine.executableSuffixes(".COM;.EXE; .BAT;;.exe")).containsExactly(".com", ".exe",
                ".bat");
        assertThat(WindowsCommandLine.executableSuffixes("")).containsExactly(".com", ".exe", ".bat", ".cmd");
    }
}
