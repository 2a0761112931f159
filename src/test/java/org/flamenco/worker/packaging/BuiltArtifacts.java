package org.flamenco.worker.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.flamenco.worker.model.BuildInfo;

/** Where `./mvnw package` left the distribution artifacts (target/, found through the failsafe jar property). */
final class BuiltArtifacts {
    static final String VERSION = BuildInfo.version();
    static final String TOP_DIR = "flamenco-worker-" + VERSION;

    private BuiltArtifacts() {
    }

    static Path targetDir() {
        Path jar = Path.of(System.getProperty("flamenco.worker.jar", "target/flamenco-worker.jar"));
        return jar.toAbsolutePath().getParent();
    }

    static Path projectDir() {
        return targetDir().getParent();
    }

    static Path zip() {
        return existing(targetDir().resolve(TOP_DIR + ".zip"));
    }

    static Path tarball() {
        return existing(targetDir().resolve(TOP_DIR + ".tar.gz"));
    }

    static Path mainJar() {
        return existing(targetDir().resolve("flamenco-worker.jar"));
    }

    /** The runtime dependency jars the build copied to target/lib. */
    static List<String> dependencyJarNames() throws IOException {
        try (Stream<Path> files = Files.list(targetDir().resolve("lib"))) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jar")).sorted().collect(Collectors.toList());
            assertThat(names).as("target/lib").isNotEmpty();
            return names;
        }
    }

    /** The single {@code flamenco-worker_<debian version>_all.deb}. */
    static Path deb() throws IOException {
        try (Stream<Path> files = Files.list(targetDir())) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("flamenco-worker_.+_all\\.deb"))
                    .collect(Collectors.toList());
            assertThat(debs).as("flamenco-worker_<version>_all.deb in %s", targetDir()).hasSize(1);
            return debs.get(0);
        }
    }

    private static Path existing(Path path) {
        assertThat(path).as("built by ./mvnw package").isRegularFile();
        return path;
    }
}
