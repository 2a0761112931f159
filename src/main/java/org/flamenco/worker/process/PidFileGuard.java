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
    /** The tree last written to {@link #treeFile()}, so an unchanged tree is not written again. */
    private volatile List<String> recordedTree = List.of();

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
     * True when the subprocess tree must be recorded beside the PID file ({@link #recordTree}): without process
     * groups nothing else finds the descendants of a leader that died with the worker.
     */
    public boolean recordsTree() {
        return file != null && !processGroups;
    }

    /** {@code <pid file>.tree}: one {@code <pid> <start instant in epoch ms>} line per known tree member. */
    private Path treeFile() {
        return file.resolveSibling(file.getFileName() + ".tree");
    }

    /**
     * Writes the living {@code members} of the subprocess tree beside the PID file (atomically, only when they
     * changed), so a restart after kill -9 can stop members a dead leader no longer leads. Each is named by pid and
     * start instant: a pid reused since is never taken for one. Never throws; problems are logged.
     */
    public void recordTree(List<ProcessHandle> members) {
        if (!recordsTree()) {
            return;
        }
        List<String> lines = members.stream().flatMap(h -> h.info().startInstant()
                .map(start -> Stream.of(h.pid() + " " + start.toEpochMilli())).orElseGet(Stream::empty)).toList();
        if (lines.equals(recordedTree)) {
            return;
        }
        try {
            Path tmp = treeFile().resolveSibling(treeFile().getFileName() + ".tmp");
            Files.write(tmp, lines, StandardCharsets.US_ASCII);
            Files.move(tmp, treeFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            recordedTree = lines;
        } catch (IOException e) {
            LOG.warn("Unable to record the subprocess tree in {}: {}", treeFile(), e.toString());
        }
    }

    /** Stops the recorded tree members still running with their recorded start instant; deletes the record. */
    private Optional<Long> stopRecordedTree(Duration killGrace) throws InterruptedException {
        List<String> lines;
        try {
            lines = Files.readAllLines(treeFile(), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("Unable to read {}: {}", treeFile(), e.toString());
            return Optional.empty();
        }
        Optional<Long> stopped = Optional.empty();
        for (String line : lines) {
            String[] f = line.strip().split(" ");
            if (f.length != 2 || !f[0].matches("[0-9]{1,18}") || !f[1].matches("-?[0-9]{1,18}")) {
                continue;
            }
            long pid = Long.parseLong(f[0]);
            long start = Long.parseLong(f[1]);
            Optional<ProcessHandle> live = ProcessHandle.of(pid).filter(Liveness::isRunning)
                    .filter(h -> h.info().startInstant().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE) == start);
            if (live.isPresent() && !isSelfOrAncestor(pid)) {
                LOG.warn("Found process pid={} of a subprocess tree left by a previous run; stopping it", pid);
                new ProcessTreeStopper(clock, killGrace).stop(new PortableChildProcess(live.get()),
                        text -> LOG.debug("{}", text), false);
                stopped = stopped.or(() -> Optional.of(pid));
            }
        }
        deleteTree();
        return stopped;
    }

    private void deleteTree() {
        try {
            Files.deleteIfExists(treeFile());
        } catch (IOException e) {
            LOG.warn("Unable to delete {}: {}", treeFile(), e.toString());
        }
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
                if (recordsTree()) {
                    deleteTree();
                    recordedTree = List.of();
                }
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
            return recordsTree() ? stopRecordedTree(killGrace) : Optional.empty();
        }
        Optional<ProcessHandle> live = liveWriter(pid.get());
        if (!processGroups) {
            return cleanUpPortableLeftover(pid.get(), live, killGrace);
        }
        if (live.isEmpty()) {
            if (orphanedGroupSurvives(pid.get())) {
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
        ForeignGroup group = new ForeignGroup(live.get());
        if (isSelfOrAncestor(pid.get()) || !group.leadsItsGroup()) {
            LOG.warn("PID file {} names pid={}, which is not a subprocess left by a previous run; leaving it",
                    file, pid.get());
            return Optional.empty();
        }
        LOG.warn("Found subprocess pid={} left by a previous run; stopping its process tree", pid.get());
        new ProcessTreeStopper(clock, killGrace).stop(group, line -> LOG.debug("{}", line), false);
        delete();
        return pid;
    }

    /**
     * Without process groups: stops the named process (when it is still the one that was started) and its
     * descendants, then the recorded tree members still running, and deletes the files.
     */
    private Optional<Long> cleanUpPortableLeftover(long pid, Optional<ProcessHandle> live, Duration killGrace)
            throws InterruptedException {
        boolean stoppedLeader = false;
        if (live.isPresent()) {
            if (isSelfOrAncestor(pid)) {
                LOG.warn("PID file {} names pid={}, which is this worker or its ancestor; leaving it", file, pid);
                return Optional.empty();
            }
            LOG.warn("Found subprocess pid={} left by a previous run; stopping its process tree", pid);
            new ProcessTreeStopper(clock, killGrace).stop(new PortableChildProcess(live.get()),
                    line -> LOG.debug("{}", line), false);
            stoppedLeader = true;
        }
        boolean stoppedMembers = stopRecordedTree(killGrace).isPresent();
        if (!stoppedLeader && !stoppedMembers) {
            LOG.warn("Deleting stale PID file {} (pid={})", file, pid);
        }
        delete();
        return stoppedLeader || stoppedMembers ? Optional.of(pid) : Optional.empty();
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
