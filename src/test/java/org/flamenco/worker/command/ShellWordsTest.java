package org.flamenco.worker.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Expected values were produced by Python 3's {@code shlex.split} / {@code shlex.quote}. */
class ShellWordsTest {
    @Test
    void splitsLikePythonShlex() throws Exception {
        assertThat(ShellWords.split("'/bin/echo' \"a b\" c\\ d")).containsExactly("/bin/echo", "a b", "c d");
        assertThat(ShellWords.split("'/opt/blender/blender' --with --cli=\"args for CLI\""))
                .containsExactly("/opt/blender/blender", "--with", "--cli=args for CLI");
        assertThat(ShellWords.split("a''b '' \"\"")).containsExactly("ab", "", "");
        assertThat(ShellWords.split("\"a\\\"b\\\\c\\d\"")).containsExactly("a\"b\\c\\d");
        assertThat(ShellWords.split("x\\\ny")).containsExactly("x\ny");
        assertThat(ShellWords.split("  lead\t\ttrail\r\n")).containsExactly("lead", "trail");
        assertThat(ShellWords.split("# $HOME * | ; &")).containsExactly("#", "$HOME", "*", "|", ";", "&");
        assertThat(ShellWords.split("'it'\"'\"'s'")).containsExactly("it's");
        assertThat(ShellWords.split("a\"b c\"d")).containsExactly("ab cd");
        assertThat(ShellWords.split("\"\\$x\"")).containsExactly("\\$x");
        assertThat(ShellWords.split("'\\'")).containsExactly("\\");
        assertThat(ShellWords.split("   ")).isEmpty();
    }

    @Test
    void unclosedQuoteIsAnError() {
        assertThatThrownBy(() -> ShellWords.split("'open")).hasMessage("No closing quotation");
        assertThatThrownBy(() -> ShellWords.split("\"open")).hasMessage("No closing quotation");
    }

    @Test
    void trailingBackslashIsAnError() {
        assertThatThrownBy(() -> ShellWords.split("trailing\\")).hasMessage("No escaped character");
        assertThatThrownBy(() -> ShellWords.split("\"esc\\")).hasMessage("No escaped character");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``|''", "abc|abc", "a b|'a b'", "it's|'it'\"'\"'s'", "@%+=:,./-_|@%+=:,./-_", "é|'é'", "$x|'$x'"})
    void quotesLikePythonShlex(String word, String quoted) {
        assertThat(ShellWords.quote(word)).isEqualTo(quoted);
    }

    @Test
    void joinedCommandLineSplitsBackToTheSameWords() throws Exception {
        List<String> argv = List.of("/bin/echo", "a b", "", "it's", "x\"y");

        assertThat(ShellWords.split(ShellWords.join(argv))).isEqualTo(argv);
    }
}
