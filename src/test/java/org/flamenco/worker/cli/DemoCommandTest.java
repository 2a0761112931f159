package org.flamenco.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class DemoCommandTest {
    @Test
    void workerClassPathIsAbsoluteSoItWorksFromTheWorkersOwnDirectory() {
        String[] entries = DemoCommand.absoluteClassPath().split(File.pathSeparator);

        assertThat(entries).isNotEmpty();
        assertThat(Arrays.stream(entries).map(Path::of)).allMatch(Path::isAbsolute);
    }
}
