package org.flamenco.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

import org.flamenco.worker.clock.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code subprocess_pid_file} guard (commands.md §2.8). Thread-safe; every method does file I/O on the calling
 * thread. A disabled guard (empty setting) passes every check and writes nothing.
 */
public final class PidFileGuard {
    private static final Logger LOG = LoggerFactory.getLogger(PidFileGuard.class);
    private static final Duration EMPTY_FILE_PATIENCE = Duration.ofSeconds(10);
    private static final Duration START_SLACK = Duration.ofSeconds(1);
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Path file;
    private final Clock clock;
    private final boolean processGroups;

    /** A guard of {@code file} for subprocesses that lead their own process group ({@link PosixProcessLauncher}). */
    public PidFileGuard(Path file, Clock clock) {
        this(file, clock, true);
    }

    /**
     * A guard of {@code file}.
     *
     * @param processGroups true when each subprocess leads its own process group ({@link LauncherKind#POSIX}):
     *                      a leftover is then stopped as a group, and only a group leader is taken for one; false
     *                      ({@link LauncherKind#PORTABLE}): a leftover is the named process and its descendants,
     *                      found through {@link ProcessHandle}
     */
    public PidFileGuard(Path file, Clock clock, boolean processGroups) {
        this.file = Objects.requireNonNull(file, "file");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.processGroups = processGroups;
    }

    private PidFileGuard() {
        this.file = null;
        this.clock = null;
        this.processGroups = true;
    }

    /** The guard for an empty {@code subprocess_pid_file}: no checks, no file. */
    public static PidFileGuard disabled() {
        return new PidFileGuard();
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * The validation check: passes when the file is absent or stale (a stale file is deleted with a warning).
     *
     * @throws PidFileException {@code Subprocess from <p> is still running: pid=<pid>, <exe>, started <time>} or
     *                          {@code Empty PID file <p>, refusing to create new subprocess just to be sure}
     */
    public void check() throws PidFileException {
        if (file == null) {
            return;
        }
        Optional<Long> pid = readStale();
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> live = liveWriter(pid.get());
        if (live.isPresent()) {
            ProcessHandle.Info info = live.get().info();
            String started = info.startInstant().map(i -> STARTED.format(i.atZone(ZoneId.systemDefault())))
                    .orElse("at an unknown time");
            throw new PidFileException("Subprocess from " + file + " is still running: pid=" + pid.get() + ", "
                    + info.command().orElse("unknown executable") + ", started " + started);
        }
        LOG.warn("Deleting stale PID file {} (pid={})", file, pid.get());
        delete();
    }

    /**
     * Reads the file; deletes it when empty-and-old or not a number. Returns the pid it names, or empty when there
     * is (now) no file.
     */
    private Optional<Long> readStale() throws PidFileException {
        String text;
        Instant modified;
        try {
            modified = Files.getLastModifiedTime(file).toInstant();
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new PidFileException("Unable to read PID file " + file + ": " + e);
        }
        if (text.isEmpty()) {
            if (Duration.between(modified, clock.now()).compareTo(EMPTY_FILE_PATIENCE) < 0) {
                throw new PidFileException("Empty PID file " + file
                        + ", refusing to create new subprocess just to be sure");
            }
            LOG.warn("Deleting stale PID file {} (empty)", file);
            delete();
            return Optional.empty();
        }
        if (!text.matches("[0-9]{1,18}")) {
            LOG.warn("Deleting stale PID file {} (not a PID: {})", file, text.length() > 40 ? text.substring(0, 40)
                    : text);
            delete();
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(text));
    }

    /** The live process named by the file, if it started no later than 1 s after the file was written. */
    private Optional<ProcessHandle> liveWriter(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(Liveness::isRunning);
        if (handle.isEmpty()) {
            return Optional.empty();
        }
        Instant modified;
        try {
            modified = Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Optional.empty();
        }
        Optional<Instant> started = handle.get().info().startInstant();
        if (started.isPresent() && started.get().isAfter(modified.plus(START_SLACK))) {
            return Optional.empty(); // the pid was reused by a process started after the file was written
        }
        return handle;
    }

    /**
     * Creates the file exclusively with {@code pid} right after the subprocess started.
     *
     * @throws PidFileException {@code PID file <p> already exists} (the caller stops the new tree at once)
     */
    public void claim(long pid) throws PidFileException {
        if (file == null) {
            return;
        }
        try {
            Files.write(file, Long.toString(pid).getBytes(StandardCharsets.US_ASCII), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            String existing;
            try {
                existing = Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException unreadable) {
                existing = "?";
            }
            LOG.error("PID file {} already exists (has pid={}), killing just-spawned process pid={}", file, existing,
                    pid);
            throw new PidFileException("PID file " + file + " already exists");
        } catch (IOException e) {
            throw new PidFileException("Unable to write PID file " + file + ": " + e);
        }
    }

    /** Deletes the file if it still contains {@code pid}. Never throws; problems are logged. */
    public void release(long pid) {
        if (file == null) {
            return;
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (text.equals(Long.toString(pid))) {
                Files.deleteIfExists(file);
            }
        } catch (NoSuchFileException e) {
            LOG.debug("PID file {} already gone", file);
        } catch (IOException e) {
            LOG.warn("Unable to remove PID file {}: {}", file, e.toString());
        }
    }

    /**
     * At worker startup: stops the process group of a subprocess left by an earlier run and deletes the file;
     * deletes stale files. A live process that is the worker itself, one of its ancestors, or not a group leader is
     * left alone (and so is the file).
     *
     * @return the pid whose tree was stopped, if any
     */
    public Optional<Long> cleanUpLeftover(Duration killGrace) throws InterruptedException {
        if (file == null) {
            return Optional.empty();
        }
        Optional<Long> pid;
        try {
            pid = readStale();
        } catch (PidFileException e) {
            LOG.warn("{}", e.getMessage());
            return Optional.empty();
        }
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        Optional<ProcessHandle> live = liveWriter(pid.get());
        if (live.isEmpty()) {
            if (processGroups && orphanedGroupSurvives(pid.get())) {
                LOG.warn("Found processes of subprocess group {} left by a previous run (its leader pid={} has"
                        + " exited); stopping them", pid.get(), pid.get());
                new ProcessTreeStopper(clock, killGrace).stop(ForeignGroup.withoutLeader(pid.get()),
                        line -> LOG.debug("{}", line), false);
                delete();
                return pid;
            }
            LOG.warn("Deleting stale PID file {} (pid={})", file, pid.get());
            delete();
            return Optional.empty();
        }
        if (isSelfOrAncestor(pid.get()) || processGroups && !new ForeignGroup(live.get()).leadsItsGroup()) {
            LOG.warn("PID file {} names pid={}, which is not a subprocess left by a previous run; leaving it",
                    file, pid.get());
            return Optional.empty();
        }
        LOG.warn("Found subprocess pid={} left by a previous run; stopping its process tree", pid.get());
        ChildProcess leftover = processGroups ? new ForeignGroup(live.get()) : new PortableChildProcess(live.get());
        new ProcessTreeStopper(clock, killGrace).stop(leftover, line -> LOG.debug("{}", line), false);
        delete();
        return pid;
    }

    /**
     * True when no process has {@code pid} any more but its process group lives on, every member in session
     * {@code pid} too (subprocesses start through {@code setsid}: leader pid = group = session), and that group is
     * neither this worker's nor one of its ancestors'. Linux does not hand out a pid still in use as a group id, so
     * such a group descends from the process the file named.
     */
    private static boolean orphanedGroupSurvives(long pid) {
        if (ProcessHandle.of(pid).filter(Liveness::isRunning).isPresent() || !ProcTable.available()) {
            return false;
        }
        List<ProcTable.Entry> members;
        try {
            members = ProcTable.groupMembers(pid);
        } catch (IOException e) {
            return false;
        }
        if (members.isEmpty() || members.stream().anyMatch(m -> m.session() != pid)) {
            return false;
        }
        POSIX posix = POSIXFactory.getNativePOSIX();
        return selfAndAncestors().noneMatch(h -> posix.getpgid((int) h.pid()) == pid);
    }

    private static boolean isSelfOrAncestor(long pid) {
        return selfAndAncestors().anyMatch(h -> h.pid() == pid);
    }

    private static Stream<ProcessHandle> selfAndAncestors() {
        return Stream.iterate(ProcessHandle.current(), Objects::nonNull, h -> h.parent().orElse(null));
    }

    private void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Unable to delete PID file {}: {}", file, e.toString());
        }
    }
}
