package org.flamenco.worker.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.flamenco.worker.packaging.BuiltArtifacts.TOP_DIR;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flamenco.worker.embedded.EmbeddedManager;
import org.flamenco.worker.embedded.RecordedRequest;
import org.flamenco.worker.packaging.ExternalCommand.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26, items 1, 2 and 8 as a user meets them: worker instances started from one unpacked zip, each in its own
 * working directory, with another {@code HOME}, as a uid without a passwd entry, and a second worker on the same
 * credentials file.
 */
@Timeout(240)
class InstanceIdentityIT {
    private static final Pattern WORKER_ID = Pattern.compile("worker_id = ([0-9a-f]{24})");
    /** A uid and gid that have no passwd or group entry here (checked before use). */
    private static final String NOBODY_KNOWN = "54321";

    @TempDir
    static Path unpacked;
    @TempDir
    Path dir;

    private EmbeddedManager manager;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void unpackTheZip() throws Exception {
        List<String> command = ExternalCommand.onPath("unzip")
                ? List.of("unzip", "-q", BuiltArtifacts.zip().toString())
                : List.of("tar", "xzf", BuiltArtifacts.tarball().toString());
        Result result = ExternalCommand.run(command, unpacked, Files.createTempDirectory(unpacked, "log"));
        assertThat(result.exitCode()).as("%s", result).isZero();
    }

    @BeforeEach
    void startManager() throws IOException {
        manager = new EmbeddedManager().start();
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        manager.close();
    }

    @Test
    void twoInstancesOfOneZip_keepTwoIdentitiesAcrossRestartsAndReregistration_andAThirdIsRefused()
            throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve(".flamenco-worker.cfg"), "[flamenco-worker]\nworker_id = "
                + "0123456789abcdef01234567\nworker_secret = stale-identity-of-an-old-install\n");
        Path a = instanceDir("a", Map.of("credentials_file", "creds.cfg"));
        Path b = instanceDir("b", Map.of("credentials_file", "creds.cfg"));

        Process workerA = launch(a, home, List.of());
        Process workerB = launch(b, home, List.of());
        manager.awaitCondition("both instances fetch tasks", () -> manager.requests("POST", "/task").stream()
                .map(InstanceIdentityIT::basicUser).distinct().count() == 2, Duration.ofSeconds(60));
        String idA = workerId(a);
        String idB = workerId(b);
        assertThat(idA).isNotEqualTo(idB);

        Path c = instanceDir("c", Map.of("credentials_file", a.resolve("creds.cfg").toString()));
        Process third = launch(c, home, List.of());
        assertThat(third.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(third.exitValue()).isEqualTo(2);
        assertThat(output(c).strip()).hasLineCount(1).isEqualTo("Credentials file " + a.resolve("creds.cfg")
                + " is in use by another worker (pid " + workerA.pid() + ", lock " + a.resolve("creds.cfg.lock")
                + "); give each worker instance its own credentials_file");

        stop(workerA, a);
        stop(workerB, b);
        workerA = launch(a, home, List.of());
        workerB = launch(b, home, List.of());
        List<RecordedRequest> signOns = manager.awaitRequests(r -> r.path().equals("/sign-on"), 2,
                Duration.ofSeconds(60));
        assertThat(signOns.stream().map(InstanceIdentityIT::basicUser)).containsExactlyInAnyOrder(idA, idB);

        manager.forgetWorker(idA); // the Manager's database lost A: A registers again, B keeps its identity
        manager.awaitRequests(r -> r.path().equals("/register-worker"), 3, Duration.ofSeconds(60));
        manager.awaitCondition("A stored its new identity", () -> !workerId(a).equals(idA), Duration.ofSeconds(30));
        String newIdA = workerId(a);
        stop(workerA, a);
        stop(workerB, b);
        // A may or may not have signed on with its new identity before it was stopped: count from here.
        int signOnsBefore = manager.requests("POST", "/sign-on").size();
        launch(a, home, List.of());
        launch(b, home, List.of());
        List<RecordedRequest> allSignOns = manager.awaitRequests(r -> r.path().equals("/sign-on"),
                signOnsBefore + 2, Duration.ofSeconds(60));

        assertThat(manager.requests("POST", "/register-worker")).hasSize(3);
        assertThat(allSignOns.stream().skip(signOnsBefore).map(InstanceIdentityIT::basicUser))
                .containsExactlyInAnyOrder(newIdA, idB);
        assertThat(workerId(b)).isEqualTo(idB);
        assertThat(newIdA).isNotEqualTo(idB);
        assertThat(output(a) + output(b)).contains(home.resolve(".flamenco-worker.cfg")
                + ": worker_id/worker_secret ignored");
    }

    @Test
    void homeFromTheEnvironment_decidesWhereTheDefaultCredentialsFileIs() throws Exception {
        Path home = Files.createDirectories(dir.resolve("elsewhere-home"));
        Path work = instanceDir("w", Map.of());

        launch(work, home, List.of());
        manager.awaitRequests(r -> r.path().equals("/task"), 1, Duration.ofSeconds(60));

        assertThat(home.resolve(".flamenco-worker.cfg")).content().contains("worker_id", "worker_secret");
        assertThat(home.resolve(".flamenco-worker.cfg.lock")).exists();
    }

    @Test
    void uidWithoutPasswdEntry_usesHome_orWithoutHomeFailsNamingTheKey() throws Exception {
        assumeNobodyKnownCanRun();
        Path home = ownedByNobodyKnown(Files.createDirectories(dir.resolve("container-home")));
        Path withHome = ownedByNobodyKnown(instanceDir("with-home", Map.of()));
        Path withoutHome = ownedByNobodyKnown(instanceDir("without-home", Map.of()));

        launchAsNobodyKnown(withHome, Optional.of(home));
        manager.awaitRequests(r -> r.path().equals("/task"), 1, Duration.ofSeconds(60));
        Process noHome = launchAsNobodyKnown(withoutHome, Optional.empty());

        assertThat(home.resolve(".flamenco-worker.cfg")).content().contains("worker_id");
        assertThat(noHome.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(noHome.exitValue()).as(output(withoutHome)).isEqualTo(2);
        assertThat(output(withoutHome).strip()).hasLineCount(1)
                .startsWith("<built-in defaults>: [flamenco-worker] credentials_file = \"~/.flamenco-worker.cfg\"")
                .contains("set HOME");
        assertThat(withoutHome.resolve("?")).doesNotExist();
    }

    @Test
    void unreadableConfigFile_saysPermissionDenied() throws Exception {
        assumeNobodyKnownCanRun();
        Path work = ownedByNobodyKnown(instanceDir("locked", Map.of()));
        Path config = work.resolve("flamenco-worker.cfg");
        Files.setOwner(config, config.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        Process worker = launchAsNobodyKnown(work, Optional.of(work));

        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.exitValue()).isEqualTo(2);
        assertThat(output(work).strip()).isEqualTo(config + ": cannot read: Permission denied");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private Path instanceDir(String name, Map<String, String> settings) throws IOException {
        Path work = Files.createDirectories(dir.resolve(name));
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("manager_url", manager.url().toString());
        keys.put("task_types", "sleep debug");
        keys.put("worker_nickname", "instance-" + name);
        keys.put("may_i_run_interval_seconds", "1");
        keys.put("push_log_max_interval_seconds", "1");
        keys.put("push_act_max_interval_seconds", "1");
        keys.put("shutdown_timeout_seconds", "10");
        keys.putAll(settings);
        StringBuilder text = new StringBuilder("[flamenco-worker]\n");
        keys.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(work.resolve("flamenco-worker.cfg"), text, StandardCharsets.UTF_8);
        return work;
    }

    /** {@code bin/flamenco-worker} of the unpacked zip, in {@code work}, output to {@code work/output.log}. */
    private Process launch(Path work, Path home, List<String> prefix) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(unpacked.resolve(TOP_DIR).resolve("bin/flamenco-worker").toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("output.log").toFile()));
        builder.environment().remove("FLAMENCO_WORKER_JAVA_OPTS");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        if (home == null) {
            builder.environment().remove("HOME");
        } else {
            builder.environment().put("HOME", home.toString());
        }
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private Process launchAsNobodyKnown(Path work, Optional<Path> home) throws IOException {
        return launch(work, home.orElse(null), List.of("setpriv", "--reuid=" + NOBODY_KNOWN,
                "--regid=" + NOBODY_KNOWN, "--clear-groups"));
    }

    private static void assumeNobodyKnownCanRun() throws Exception {
        assumeThat(ExternalCommand.onPath("setpriv")).as("setpriv available").isTrue();
        assumeThat(System.getProperty("user.name")).as("running as root").isEqualTo("root");
        Result entry = ExternalCommand.run(List.of("getent", "passwd", NOBODY_KNOWN), Path.of("/"),
                Files.createTempDirectory("getent"));
        assumeThat(entry.exitCode()).as("uid " + NOBODY_KNOWN + " has no passwd entry").isNotZero();
    }

    /** Makes {@code path} (and the directories above it up to the temp dir) usable by the uid without an entry. */
    private Path ownedByNobodyKnown(Path path) throws Exception {
        for (Path p = dir; p != null && !p.equals(p.getRoot()); p = p.getParent()) {
            if (p.startsWith(Path.of(System.getProperty("java.io.tmpdir")))
                    && !p.equals(Path.of(System.getProperty("java.io.tmpdir")))) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Files.setPosixFilePermissions(unpacked, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Result chown = ExternalCommand.run(List.of("chown", "-R", NOBODY_KNOWN + ":" + NOBODY_KNOWN, path.toString()),
                dir, Files.createTempDirectory("chown"));
        assertThat(chown.exitCode()).as("%s", chown).isZero();
        return path;
    }

    /** SIGTERM, then a clean exit 0; a failure shows the worker's own output. */
    private static void stop(Process worker, Path work) throws Exception {
        new ProcessBuilder("kill", "-TERM", Long.toString(worker.pid())).inheritIO().start().waitFor();
        assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("%s", work).isTrue();
        assertThat(worker.exitValue()).as("exit code of the worker in %s; its output:%n%s", work, output(work))
                .isZero();
    }

    private static String workerId(Path work) {
        try {
            Matcher m = WORKER_ID.matcher(Files.readString(work.resolve("creds.cfg")));
            return m.find() ? m.group(1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String output(Path work) throws IOException {
        Path log = work.resolve("output.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static String basicUser(RecordedRequest request) {
        String header = request.header("Authorization").orElse("");
        String decoded = new String(Base64.getDecoder().decode(header.substring("Basic ".length())),
                StandardCharsets.UTF_8);
        return decoded.substring(0, decoded.indexOf(':'));
    }
}
