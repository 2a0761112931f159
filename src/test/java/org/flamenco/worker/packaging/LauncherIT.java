package org.flamenco.worker.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.flamenco.worker.packaging.BuiltArtifacts.TOP_DIR;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
    private static final String IDLE_FLAGS = "-XX:-UsePerfData -XX:+UnlockDiagnosticVMOptions "
            + "-XX:GuaranteedSafepointInterval=0 -XX:AsyncDeflationInterval=0";

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
        List<String> args = argsOf(result);
        assertThat(args).containsSubsequence(concat(List.of(DEFAULT_FLAGS.split(" ")), List.of(IDLE_FLAGS.split(" "))))
                .contains("-XX:TrimNativeHeapInterval=20000", "-Dflamenco.worker.cacheDir=" + cache());
        assertThat(args.subList(args.indexOf("-cp"), args.size())).containsExactly(
                "-cp", libStar, "org.flamenco.worker.Main", "-c", "conf dir/worker.cfg", "-v");
    }

    @Test
    void readsTheVersionFromTheReleaseFile_withoutRunningJava() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"17.0.15\" 2025-04-15");
        Files.writeString(javaHome.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"11.0.2\"\n");

        Result refused = runLauncher(javaHome, null, "--version");
        Files.writeString(javaHome.resolve("release"), "JAVA_VERSION=\"17.0.7\"\nJAVA_RUNTIME_VERSION=\"17.0.7+7\"\n");
        Result old17 = runLauncher(javaHome, null, "-V");
        Files.writeString(javaHome.resolve("release"), "JAVA_VERSION=\"17.0.8\"\n");
        Result mid17 = runLauncher(javaHome, null, "-V");
        Files.writeString(javaHome.resolve("release"), "JAVA_VERSION=\"21.0.1\"\n");
        Result new21 = runLauncher(javaHome, null, "-V");

        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(2);
        assertThat(refused.stderr()).contains("11.0.2").contains("release");
        // Zero deflation intervals only where deflation keeps its guarantee (17.0.8+), TrimNativeHeapInterval only
        // on JDKs that have it (17.0.9+, 21.0.1+, 22+).
        assertThat(argsOf(old17)).contains("-XX:-UsePerfData")
                .doesNotContain("-XX:AsyncDeflationInterval=0", "-XX:TrimNativeHeapInterval=20000");
        assertThat(argsOf(mid17)).contains("-XX:AsyncDeflationInterval=0", "-XX:GuaranteedSafepointInterval=0")
                .doesNotContain("-XX:TrimNativeHeapInterval=20000");
        assertThat(argsOf(new21)).contains("-XX:TrimNativeHeapInterval=20000");
    }

    @Test
    void firstServiceRunRecordsItsClasses_theNextMakesTheArchiveInTheBackground_laterOnesMapIt() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"25\" 2025-09-16");

        Result first = runLauncher(javaHome, null, "-c", "worker.cfg");
        List<String> version = argsOf(runLauncher(javaHome, null, "--version"));
        String list = flagValue(first, "-XX:DumpLoadedClassList=");
        String archive = list.substring(0, list.indexOf(".classes."));
        assertThat(list).isEqualTo(archive + ".classes." + lineValue(first, "pid="));
        assertThat(Path.of(archive).getParent()).isEqualTo(cache());
        assertThat(argsOf(first)).contains("-Dflamenco.worker.cdsMarker=" + list + ".trained")
                .noneMatch(a -> a.contains("SharedArchiveFile") || a.contains("AtExit") || a.contains("AutoCreate"));
        assertThat(version).noneMatch(a -> a.contains("ClassList") || a.contains("SharedArchiveFile"));

        // The first run signed on (marker) and ended, its last line cut short: the next start makes the archive in
        // the background (fake java: the archive is the class list it was given) and starts without one meanwhile.
        Files.writeString(Path.of(list), "java/lang/Object\norg/flamenco/worker/Main\norg/flamenco/wor");
        Files.writeString(Path.of(list + ".trained"), "signed on");
        List<String> second = argsOf(runLauncher(javaHome, null, "-c", "worker.cfg"));
        assertThat(second).noneMatch(a -> a.contains("ClassList") || a.contains("SharedArchiveFile"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(Path.of(archive)));
        assertThat(Files.readString(Path.of(archive))).isEqualTo("java/lang/Object\norg/flamenco/worker/Main\n");
        assertThat(dumps(javaHome)).singleElement().asString().contains("-Xshare:dump", "-XX:SharedClassListFile=",
                "-cp " + unpacked.resolve(TOP_DIR).toRealPath().resolve("lib") + "/*");
        await().atMost(Duration.ofSeconds(30)).until(() -> cacheFiles().equals(List.of(archive)));

        List<String> third = argsOf(runLauncher(javaHome, null, "-c", "worker.cfg"));
        assertThat(third).contains("-Xlog:cds=off", "-XX:SharedArchiveFile=" + archive)
                .noneMatch(a -> a.contains("ClassList") || a.contains("cdsMarker"));
        assertThat(third.indexOf("-XX:SharedArchiveFile=" + archive)).isLessThan(third.indexOf("-XX:+UseSerialGC"));
        assertThat(argsOf(runLauncher(javaHome, null, "--version"))).contains("-XX:SharedArchiveFile=" + archive);
    }

    @Test
    void jdk25WithTheDefaultFlags_linksAheadOfTime_ownFlagsAndJdk17GetAPlainArchive() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"25\" 2025-09-16");
        String linked = flagValue(runLauncher(javaHome, null, "-c", "worker.cfg"), "-XX:DumpLoadedClassList=");
        String plain = flagValue(runLauncher(javaHome, "-Xmx128m", "-c", "worker.cfg"), "-XX:DumpLoadedClassList=");
        assertThat(linked).contains("-aot.jsa.classes.");
        assertThat(plain).doesNotContain("-aot").contains(".jsa.classes.");

        for (String list : List.of(linked, plain)) {
            Files.writeString(Path.of(list), "java/lang/Object\n");
            Files.writeString(Path.of(list + ".trained"), "signed on");
        }
        runLauncher(javaHome, null, "-c", "worker.cfg");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(Path.of(archiveOf(linked))));
        runLauncher(javaHome, "-Xmx128m", "-c", "worker.cfg");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(Path.of(archiveOf(plain))));

        assertThat(dumps(javaHome)).hasSize(2);
        assertThat(dumps(javaHome).get(0)).contains("-XX:+AOTClassLinking", archiveOf(linked));
        assertThat(dumps(javaHome).get(1)).doesNotContain("AOTClassLinking").contains(archiveOf(plain));
        // Native access is granted at run time on 24+ (own flags or not), so the archives are made with it too: a
        // linked archive whose module options differ stops the JVM ("Unrecoverable archive loading error").
        assertThat(dumps(javaHome)).allSatisfy(d -> assertThat(d).contains(NATIVE_ACCESS));
        assertThat(argsOf(runLauncher(javaHome, null, "-c", "worker.cfg")))
                .contains("-XX:SharedArchiveFile=" + archiveOf(linked), "-XX:ServiceThreadCleanupInterval=60000",
                        NATIVE_ACCESS);
        assertThat(argsOf(runLauncher(javaHome, "-Xmx128m", "-c", "worker.cfg")))
                .contains("-XX:SharedArchiveFile=" + archiveOf(plain), NATIVE_ACCESS);
        Path java17 = fakeJavaHome("openjdk version \"17.0.15\" 2025-04-15");
        Result on17 = runLauncher(java17, null, "-c", "worker.cfg");
        assertThat(flagValue(on17, "-XX:DumpLoadedClassList=")).doesNotContain("-aot");
        assertThat(argsOf(on17)).noneMatch(a -> a.contains("ServiceThreadCleanupInterval"))
                .doesNotContain(NATIVE_ACCESS);
    }

    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private static String archiveOf(String classList) {
        return classList.substring(0, classList.indexOf(".classes."));
    }

    @Test
    void aClassListOfARunThatNeverSignedOn_isDropped_andTheNextRunRecordsAgain() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"17.0.15\" 2025-04-15");
        String list = flagValue(runLauncher(javaHome, null, "-c", "worker.cfg"), "-XX:DumpLoadedClassList=");
        Files.writeString(Path.of(list), "java/lang/Object\n"); // no marker: the run ended at a config error

        Result next = runLauncher(javaHome, null, "-c", "worker.cfg");

        assertThat(Path.of(list)).doesNotExist();
        assertThat(flagValue(next, "-XX:DumpLoadedClassList=")).endsWith(".classes." + lineValue(next, "pid="));
        assertThat(dumps(javaHome)).isEmpty();
    }

    @Test
    void aMakersLockWithoutItsPidYet_isHeld_whileOneWhoseMakerDied_isTakenOver() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"17.0.15\" 2025-04-15");
        String list = flagValue(runLauncher(javaHome, null, "-c", "worker.cfg"), "-XX:DumpLoadedClassList=");
        String archive = archiveOf(list);
        Files.writeString(Path.of(list), "java/lang/Object\n\n");
        Files.writeString(Path.of(list + ".trained"), "signed on");
        // Another maker between its mkdir and writing its pid: the lock is held, no second archive is made.
        Path lock = Files.createDirectory(Path.of(archive + ".lock"));

        runLauncher(javaHome, null, "-c", "worker.cfg");

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> dumps(javaHome).isEmpty());
        assertThat(lock).isDirectory();

        // Its maker was killed: the next start takes the lock over and makes the archive.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(lock.resolve("pid"), gone.pid() + "\n");
        runLauncher(javaHome, null, "-c", "worker.cfg");

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(Path.of(archive)));
        assertThat(dumps(javaHome)).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(lock));
    }

    @Test
    void aFailedMake_isNotRetried_untilItsMarkIsDeleted() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"17.0.15\" 2025-04-15");
        String list = flagValue(runLauncher(javaHome, null, "-c", "worker.cfg"), "-XX:DumpLoadedClassList=");
        String archive = list.substring(0, list.indexOf(".classes."));
        Files.writeString(Path.of(list), "java/lang/Object\n\n");
        Files.writeString(Path.of(list + ".trained"), "signed on");

        runLauncher(javaHome, null, Map.of("FAKE_JAVA_DUMP_STATUS", "1"), "-c", "worker.cfg");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(Path.of(archive + ".failed")));
        List<String> after = argsOf(runLauncher(javaHome, null, "-c", "worker.cfg"));

        assertThat(Path.of(archive)).doesNotExist();
        assertThat(after).noneMatch(a -> a.contains("ClassList") || a.contains("SharedArchiveFile"));
        assertThat(dumps(javaHome)).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> cacheFiles().equals(List.of(archive + ".failed")));
    }

    /** Two instances with one HOME started together (InstanceIdentityIT does this with real JVMs). */
    @Test
    void twoFirstStartsAtOnce_recordToTheirOwnLists_andOnlyOneMakesTheArchive() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"17.0.15\" 2025-04-15");
        Path gate = scratch.resolve("gate");

        List<Result> firsts = twoAtOnce(javaHome, Map.of());
        String listA = flagValue(firsts.get(0), "-XX:DumpLoadedClassList=");
        String listB = flagValue(firsts.get(1), "-XX:DumpLoadedClassList=");
        String archive = listA.substring(0, listA.indexOf(".classes."));
        for (String list : List.of(listA, listB)) {
            Files.writeString(Path.of(list), "java/lang/Object\n\n");
            Files.writeString(Path.of(list + ".trained"), "signed on");
        }
        try {
            twoAtOnce(javaHome, Map.of("FAKE_JAVA_DUMP_GATE", gate.toString()));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30))
                    .until(() -> dumps(javaHome).size() == 1);
        } finally {
            Files.writeString(gate, "open"); // the fake maker never outlives the test
        }

        assertThat(listA).isNotEqualTo(listB);
        await().atMost(Duration.ofSeconds(30)).until(() -> cacheFiles().equals(List.of(archive)));
        assertThat(dumps(javaHome)).hasSize(1);
    }

    @Test
    void archivesOfOtherJavasOrJarsUnusedFor30Days_areRemoved_recentOnesKept() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"17.0.15\" 2025-04-15");
        Files.createDirectories(cache());
        Path old = Files.writeString(cache().resolve("cds-17-1.jsa"), "old");
        Path oldList = Files.writeString(cache().resolve("cds-21-2.jsa.classes.7"), "old");
        Path recent = Files.writeString(cache().resolve("cds-25-3-aot.jsa"), "recent");
        FileTime fortyDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(40)));
        Files.setLastModifiedTime(old, fortyDaysAgo);
        Files.setLastModifiedTime(oldList, fortyDaysAgo);

        Result run = runLauncher(javaHome, null, "-c", "worker.cfg");

        assertThat(run.exitCode()).as("%s", run).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(old) && !Files.exists(oldList));
        assertThat(recent).exists();
    }

    @Test
    void classDataSharingOff_orNoWritableCache_startsWithoutIt() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"25\" 2025-09-16");
        Path notADirectory = Files.writeString(scratch.resolve("file"), "x");

        Result off = runLauncher(javaHome, null, Map.of("FLAMENCO_WORKER_CDS", "off"), "-c", "worker.cfg");
        Result unusable = runLauncher(javaHome, null, Map.of("FLAMENCO_WORKER_CACHE_DIR", notADirectory.toString()),
                "-c", "worker.cfg");

        assertThat(off.exitCode()).as("%s", off).isZero();
        assertThat(argsOf(off)).noneMatch(a -> a.contains("Archive") || a.contains("ClassList"))
                .contains("-Dflamenco.worker.cacheDir=" + cache());
        assertThat(unusable.exitCode()).as("%s", unusable).isZero();
        assertThat(argsOf(unusable)).noneMatch(a -> a.contains("Archive") || a.contains("ClassList")
                        || a.contains("cacheDir"))
                .contains("-XX:+UseSerialGC");
    }

    @Test
    void javaOptsEnvironment_replacesTheDefaultFlags() throws Exception {
        Path javaHome = fakeJavaHome("openjdk version \"21.0.1\" 2023-10-17");

        Result result = runLauncher(javaHome, "-Xmx512m  -Dfoo=*", "-V");

        assertThat(result.exitCode()).as("%s", result).isZero();
        List<String> args = argsOf(result);
        int cp = args.indexOf("-cp");
        assertThat(args.subList(cp - 2, cp + 1)).containsExactly("-Xmx512m", "-Dfoo=*", "-cp");
        assertThat(args).doesNotContain("-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:TrimNativeHeapInterval=20000");
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
     * real JVM with JDK_JAVA_OPTIONS does); for {@code -Xshare:dump} appends its arguments to {@code bin/dumps},
     * waits for the file {@code FAKE_JAVA_DUMP_GATE} names (when set; 60 s at most), and copies the class list into
     * the archive unless {@code FAKE_JAVA_DUMP_STATUS} says it failed; and otherwise prints its pid, its cwd and one
     * {@code arg=} line per argument.
     */
    private Path fakeJavaHome(String versionLine) throws IOException {
        Path bin = Files.createDirectories(scratch.resolve("jdk/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, String.join("\n",
                "#!/bin/sh",
                "if [ \"$1\" = -Xshare:dump ]; then",
                "  echo \"$*\" >>\"$(dirname \"$0\")/dumps\"",
                "  n=0; while [ -n \"${FAKE_JAVA_DUMP_GATE:-}\" ] && [ ! -f \"$FAKE_JAVA_DUMP_GATE\" ]"
                        + " && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done",
                "  for a in \"$@\"; do case $a in -XX:SharedClassListFile=*) list=${a#*=} ;;"
                        + " -XX:SharedArchiveFile=*) out=${a#*=} ;; esac; done",
                "  [ \"${FAKE_JAVA_DUMP_STATUS:-0}\" = 0 ] && cat \"$list\" >\"$out\"",
                "  exit ${FAKE_JAVA_DUMP_STATUS:-0}",
                "fi",
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
        return runLauncher(javaHome, javaOpts, Map.of(), args);
    }

    /** The cache directory the launcher is given (its own default would be the user's ~/.cache). */
    private Path cache() {
        return scratch.resolve("cache");
    }

    private Result runLauncher(Path javaHome, String javaOpts, Map<String, String> extraEnv, String... args)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", javaHome.toString());
        env.put("FLAMENCO_WORKER_CACHE_DIR", cache().toString());
        env.putAll(extraEnv);
        if (javaOpts != null) {
            env.put("FLAMENCO_WORKER_JAVA_OPTS", javaOpts);
        }
        List<String> command = concat(List.of(launcher().toString()), List.of(args));
        return ExternalCommand.run(command, scratch, env, scratch);
    }

    /** Starts two service runs at once and returns both results. */
    private List<Result> twoAtOnce(Path javaHome, Map<String, String> env) throws Exception {
        CompletableFuture<Result> a = CompletableFuture.supplyAsync(() -> runUnchecked(javaHome, env));
        CompletableFuture<Result> b = CompletableFuture.supplyAsync(() -> runUnchecked(javaHome, env));
        return List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
    }

    private Result runUnchecked(Path javaHome, Map<String, String> env) {
        try {
            return runLauncher(javaHome, null, env, "-c", "worker.cfg");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code -Xshare:dump} runs of the fake java, one line of arguments each. */
    private static List<String> dumps(Path javaHome) throws IOException {
        Path log = javaHome.resolve("bin/dumps");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** The class-data files in the cache directory (not SQLite's library), sorted. */
    private List<String> cacheFiles() throws IOException {
        try (var files = Files.list(cache())) {
            return files.map(Path::toString).filter(f -> f.contains("/cds-")).sorted().toList();
        }
    }

    private static String flagValue(Result result, String prefix) {
        return argsOf(result).stream().filter(a -> a.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in " + result)).substring(prefix.length());
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
