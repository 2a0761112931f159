package org.flamenco.worker.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flamenco.worker.packaging.BuiltArtifacts.TOP_DIR;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.flamenco.worker.packaging.ExternalCommand.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/flamenco-worker from the unpacked tar.gz, run with a fake {@code java} (a sh script in a fake JAVA_HOME) that
 * reports which version it claims to be, or records how the launcher started it.
 */
@Timeout(120)
class LauncherIT {
    private static final String DEFAULT_FLAGS = "-XX:+UseSerialGC -Xms8m -Xmx64m -XX:TieredStopAtLevel=1 -Xss512k";

    @TempDir
    static Path unpacked;

    @TempDir
    Path scratch;

    @BeforeAll
    static void unpackTheTarball() throws Exception {
        Result result = ExternalCommand.run(List.of("tar", "xzf", BuiltArtifacts.tarball().toString()), unpacked,
                Files.createTempDirectory(unpacked, "log"));
        assertThat(result.exitCode()).as("%s", result).isZero();
    }

    private static Path launcher() {
        return unpacked.resolve(TOP_DIR).resolve("bin/flamenco-worker");
    }

    @Test
    void refusesJava11_withOneClearLine_andExit2() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"11.0.2\" 2019-01-15");

        Result result = runLauncher(javaHome, null, "--version");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr().lines().toList()).singleElement().asString()
                .contains("Java 17 or newer is required").contains("11.0.2").contains("JAVA_HOME");
    }

    @Test
    void refusesJava8_fromItsOldVersionFormat() throws Exception {
        Path javaHome = fakeJavaHome("java version \"1.8.0_292\"");

        Result result = runLauncher(javaHome, null, "--version");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.stderr()).contains("1.8.0_292");
    }

    @Test
    void javaHomeWithoutJava_exits2_namingTheDirectory() throws Exception {
        Path javaHome = Files.createDirectories(scratch.resolve("empty-jdk"));

        Result result = runLauncher(javaHome, null, "--version");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.stderr()).contains("JAVA_HOME").contains(javaHome.toString());
    }

    @Test
    void startsJava17_withTheServiceFlags_classpathAndMainClass_passingArgumentsThrough() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"17.0.15\" 2025-04-15");

        Result result = runLauncher(javaHome, null, "-c", "conf dir/worker.cfg", "-v");

        assertThat(result.exitCode()).as("%s", result).isZero();
        String libStar = unpacked.resolve(TOP_DIR).toRealPath().resolve("lib") + "/*";
        assertThat(argsOf(result)).containsExactlyElementsOf(concat(List.of(DEFAULT_FLAGS.split(" ")),
                List.of("-cp", libStar, "org.flamenco.worker.Main", "-c", "conf dir/worker.cfg", "-v")));
    }

    @Test
    void javaOptsEnvironment_replacesTheDefaultFlags() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"21.0.1\" 2023-10-17");

        Result result = runLauncher(javaHome, "-Xmx512m  -Dfoo=*", "-V");

        assertThat(result.exitCode()).as("%s", result).isZero();
        List<String> args = argsOf(result);
        assertThat(args.subList(0, 3)).containsExactly("-Xmx512m", "-Dfoo=*", "-cp");
        assertThat(args).doesNotContain("-XX:+UseSerialGC");
    }

    @Test
    void movesTheJvmsSuspendSignalOffSigusr2_unlessTheUserChoseOne() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"17.0.15\" 2025-04-15");

        Result byDefault = runLauncher(javaHome, null, "-V");
        Result chosen = ExternalCommand.run(List.of(launcher().toString(), "-V"), scratch,
                Map.of("JAVA_HOME", javaHome.toString(), "_JAVA_SR_SIGNUM", "45"), scratch);

        assertThat(lineValue(byDefault, "sr=")).isEqualTo("40");
        assertThat(lineValue(chosen, "sr=")).isEqualTo("45");
    }

    @Test
    void keepsTheCallersWorkingDirectory_andReplacesItselfWithJava() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"25\" 2025-09-16");
        Path callerDir = Files.createDirectories(scratch.resolve("render node dir"));

        Result result = ExternalCommand.run(List.of("sh", "-c", "echo launcher-pid=$$; exec \"$0\" --version",
                launcher().toString()), callerDir, Map.of("JAVA_HOME", javaHome.toString()), scratch);

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(lineValue(result, "cwd=")).isEqualTo(callerDir.toRealPath().toString());
        // exec: the shell that ran the launcher and the "JVM" are one process, so signals reach the worker.
        assertThat(lineValue(result, "pid=")).isEqualTo(lineValue(result, "launcher-pid="));
    }

    @Test
    void findsItsInstallThroughAChainOfSymlinks() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"17\" 2021-09-14");
        // usr/bin/flamenco-worker -> ../../opt-link -> <install>/bin/flamenco-worker, beside the unpacked install.
        Path usrBin = Files.createDirectories(unpacked.resolve("chain/usr/bin"));
        Path optLink = Files.createSymbolicLink(unpacked.resolve("chain/opt-link"), launcher());
        Path relative = Files.createSymbolicLink(usrBin.resolve("flamenco-worker"), Path.of("../../opt-link"));

        Result result = ExternalCommand.run(List.of(relative.toString(), "-V"), scratch,
                Map.of("JAVA_HOME", javaHome.toString()), scratch);

        assertThat(optLink).isSymbolicLink();
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(argsOf(result)).contains(unpacked.resolve(TOP_DIR).toRealPath().resolve("lib") + "/*");
    }

    /**
     * A JAVA_HOME whose bin/java prints {@code versionLine} for {@code -version} (on stderr, after a JVM note, as a
     * real JVM with JDK_JAVA_OPTIONS does) and otherwise prints its pid, its cwd and one {@code arg=} line per argument.
     */
    private Path fakeJavaHome(String versionLine) throws IOException {
        Path bin = Files.createDirectories(scratch.resolve("jdk/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, String.join("\n",
                "#!/bin/sh",
                "if [ \"$1\" = -version ]; then",
                "  echo 'NOTE: Picked up JDK_JAVA_OPTIONS: -Dx=1' >&2",
                "  echo '" + versionLine + "' >&2",
                "  exit 0",
                "fi",
                "echo \"pid=$$\"",
                "echo \"cwd=$(pwd -P)\"",
                "echo \"sr=${_JAVA_SR_SIGNUM:-unset}\"",
                "for a in \"$@\"; do echo \"arg=$a\"; done",
                ""), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin.getParent();
    }

    private Result runLauncher(Path javaHome, String javaOpts, String... args) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", javaHome.toString());
        if (javaOpts != null) {
            env.put("FLAMENCO_WORKER_JAVA_OPTS", javaOpts);
        }
        List<String> command = concat(List.of(launcher().toString()), List.of(args));
        return ExternalCommand.run(command, scratch, env, scratch);
    }

    private static List<String> argsOf(Result result) {
        return result.stdout().lines().filter(l -> l.startsWith("arg=")).map(l -> l.substring(4)).toList();
    }

    private static String lineValue(Result result, String prefix) {
        return result.stdout().lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in " + result));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
