package org.flamenco.worker.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProcessLauncher} for Linux and macOS: starts argv through {@code setsid} so the child leads a new session
 * and process group. With a {@link SubprocessPriority}, the chain goes on through a one-line {@code sh} that writes
 * {@code /proc/self/oom_score_adj} and through {@code nice}: each link execs the next in place, so the program
 * keeps the pid (and group) the JVM sees, and it already has its score and niceness when its first instruction
 * runs. Raising one's own {@code oom_score_adj} needs no privilege; when the write is refused (the worker's own
 * score is higher than the configured one), the program still runs and its output starts with a line saying so.
 * A JVM child is never a group leader, so {@code setsid} calls {@code setsid(2)} and execs the program in place:
 * the pid the JVM sees is the program's pid and the group id. (Right after {@link #start}
 * returns, setsid(2) may not have run yet; {@link PosixChildProcess} covers that window by also signalling the
 * leader itself.) A program that cannot be found is reported as an {@link IOException} here, because setsid could
 * only report it as exit status 127. Thread-safe.
 */
public final class PosixProcessLauncher implements ProcessLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(PosixProcessLauncher.class);
    private static final String SETSID = "setsid";
    /** {@code $1} is the score, the rest the command to exec; echo and its redirection run inside sh itself. */
    private static final String OOM_SCRIPT = "{ echo \"$1\" > /proc/self/oom_score_adj; } 2>/dev/null"
            + " || echo \"flamenco-worker: could not set oom_score_adj to $1,"
            + " running with $(cat /proc/self/oom_score_adj)\"; shift; exec \"$@\"";
    /** jnr-posix, loaded at the first start: an idle worker never needs its ~400 classes and native stub. */
    private volatile POSIX posix;
    private final String setsid;
    private final String nice;
    private final SubprocessPriority priority;

    /** Children inherit the worker's OOM score and niceness. */
    public PosixProcessLauncher() {
        this(SubprocessPriority.INHERITED);
    }

    public PosixProcessLauncher(SubprocessPriority priority) {
        this.setsid = new File("/usr/bin/setsid").canExecute() ? "/usr/bin/setsid" : SETSID;
        this.nice = new File("/usr/bin/nice").canExecute() ? "/usr/bin/nice" : "nice";
        this.priority = Objects.requireNonNull(priority, "priority");
    }

    private POSIX posix() {
        POSIX p = posix;
        if (p == null) {
            p = POSIXFactory.getNativePOSIX();
            posix = p;
        }
        return p;
    }

    /** The file {@code program} names: a path when it contains a slash, else the first match on {@code PATH}. */
    static Optional<Path> findExecutable(String program, Path workingDirectory) {
        if (program.isEmpty()) {
            return Optional.empty();
        }
        if (program.contains("/")) {
            Path p = workingDirectory.resolve(program);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin");
        for (String d : path.split(File.pathSeparator)) {
            Path p = (d.isEmpty() ? workingDirectory : workingDirectory.resolve(d)).resolve(program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public ChildProcess start(LaunchRequest request) throws IOException {
        String program = request.argv().get(0);
        if (findExecutable(program, request.workingDirectory()).isEmpty()) {
            // setsid would report this only as exit status 127; say it the way ProcessBuilder does
            throw new IOException("Cannot run program \"" + program + "\": No such file or executable");
        }
        List<String> command = new ArrayList<>(request.argv().size() + 8);
        command.add(setsid);
        command.addAll(priorityPrefix(ProcStat.ownNice()));
        command.addAll(request.argv());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(request.workingDirectory().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("LD_LIBRARY_PATH");
        request.removedEnvironment().forEach(env::remove);
        POSIX calls = posix(); // before the start: a child is never left without the means to stop it
        Process process = builder.start();
        return new PosixChildProcess(process, calls);
    }

    /**
     * The links between {@code setsid} and the program: the OOM-score script, then {@code nice} by the difference
     * between the configured niceness and {@code inheritedNice} (the starting thread's, which the child inherits).
     * Lowering the niceness needs a privilege, so a worker already nicer than configured passes its own on.
     */
    List<String> priorityPrefix(int inheritedNice) {
        List<String> links = new ArrayList<>();
        if (priority.oomScoreAdjust().isPresent()) {
            links.addAll(List.of("/bin/sh", "-c", OOM_SCRIPT, "flamenco-worker-oom",
                    Integer.toString(priority.oomScoreAdjust().getAsInt())));
        }
        int increment = priority.nice() - inheritedNice;
        if (priority.nice() > 0 && increment > 0) {
            links.addAll(List.of(nice, "-n", Integer.toString(increment)));
        } else if (priority.nice() > 0 && increment < 0) {
            LOG.debug("subprocess_nice = {} is below the worker's own niceness {}; children inherit {}",
                    priority.nice(), inheritedNice, inheritedNice);
        }
        return links;
    }
}
