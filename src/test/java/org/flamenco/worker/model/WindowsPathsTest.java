package org.flamenco.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Path settings written for Windows, judged for a Windows host and for a POSIX one, on any OS. */
class WindowsPathsTest {
    @ParameterizedTest
    @ValueSource(strings = {"C:\\renders", "C:/renders", "d:\\flamenco\\queue.db", "\\\\server\\share\\x",
        "//server/share/x", "renders\\shot 1", "queue.db", "~\\flamenco", "  C:\\renders  "})
    void fixedOrWorkingDirectoryRelativePathsAreFineOnWindows(String text) {
        assertThat(WindowsPaths.problem(text, true)).isEmpty();
    }

    @Test
    void aDriveLetterWithoutSeparatorIsRelativeToThatDrivesCurrentDirectory() {
        assertThat(WindowsPaths.problem("C:renders\\x", true)).contains("is relative to the current directory of"
                + " drive C: (wherever the worker was started); write C:\\renders\\x");
    }

    @Test
    void aSingleLeadingSeparatorIsTheRootOfWhicheverDriveTheWorkerStartedFrom() {
        assertThat(WindowsPaths.problem("/renders/x", true)).contains("has no drive letter, so it means that folder"
                + " on whichever drive the worker was started from; write it with a drive letter (C:\\renders\\x) or"
                + " as a share (\\\\server\\share\\renders\\x)");
        assertThat(WindowsPaths.problem("\\renders", true)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"C:\\renders", "C:/renders", "\\\\server\\share\\x"})
    void windowsPathsAreAProblemOnAPosixHost(String text) {
        assertThat(WindowsPaths.problem(text, false)).contains(WindowsPaths.PROBLEM);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/lib/flamenco", "renders/x", "~/queue.db", "C:renders"})
    void posixPathsAreFineOnAPosixHost(String text) {
        assertThat(WindowsPaths.problem(text, false)).isEmpty();
    }
}
