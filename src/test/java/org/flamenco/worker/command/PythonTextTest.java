package org.flamenco.worker.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values were produced by Python 3's {@code str()} and {@code repr()}. */
class PythonTextTest {
    @ParameterizedTest
    @CsvSource({"24.0,24.0", "23.976,23.976", "0.5,0.5", "1e-05,1e-05", "1e16,1e+16", "1.5e16,1.5e+16",
        "0.0001,0.0001", "123456789012345.6,123456789012345.6", "0.3333333333333333,0.3333333333333333",
        "2.5e-7,2.5e-07", "-0.0,-0.0", "100.0,100.0", "1e22,1e+22", "9999999999999998.0,9999999999999998.0"})
    void floatsLikePythonStr(double value, String expected) {
        assertThat(PythonText.number(value)).isEqualTo(expected);
    }

    @Test
    void integersAreDigits() {
        assertThat(PythonText.number(24)).isEqualTo("24");
        assertThat(PythonText.number(24L)).isEqualTo("24");
        assertThat(PythonText.number(new BigInteger("123456789012345678901234567890")))
                .isEqualTo("123456789012345678901234567890");
        assertThat(PythonText.number((Number) Double.valueOf(24))).isEqualTo("24.0");
    }

    @Test
    void reprChoosesQuotesAndEscapesLikePython() {
        assertThat(PythonText.repr("abc")).isEqualTo("'abc'");
        assertThat(PythonText.repr("it's")).isEqualTo("\"it's\"");
        assertThat(PythonText.repr("say \"hi\"")).isEqualTo("'say \"hi\"'");
        assertThat(PythonText.repr("both ' and \"")).isEqualTo("'both \\' and \"'");
        assertThat(PythonText.repr("tab\there")).isEqualTo("'tab\\there'");
        assertThat(PythonText.repr("back\\slash")).isEqualTo("'back\\\\slash'");
        assertThat(PythonText.repr("\u0001\u007f\u0085é")).isEqualTo("'\\x01\\x7f\\x85é'");
    }
}
