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

/**
 * {@link ProcessLauncher} for Linux and macOS: starts argv through {@code setsid} so the child leads a new session
 * and process group. A JVM child is never a group leader, so {@code setsid} calls {@code setsid(2)} and execs the
 * program in place: the pid the JVM sees is the program's pid and the group id. (Right after {@link #start}
 * returns, setsid(2) may not have run yet; {@link PosixChildProcess} covers that window by also signalling the
 * leader itself.) A program that cannot be found is reported as an {@link IOException} here, because setsid could
 * only report it as exit status 127. Thread-safe.
 */
public final class PosixProcessLauncher implements ProcessLauncher {
    private static final String SETSID = "setsid";
    private final POSIX posix;
    private final String setsid;

    public PosixProcessLauncher() {
        this.posix = POSIXFactory.getNativePOSIX();
        this.setsid = new File("/usr/bin/setsid").canExecute() ? "/usr/bin/setsid" : SETSID;
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
        List<String> command = new ArrayList<>(request.argv().size() + 1);
        command.add(setsid);
        command.addAll(request.argv());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(request.workingDirectory().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("LD_LIBRARY_PATH");
        request.removedEnvironment().forEach(env::remove);
        Process process = builder.start();
        return new PosixChildProcess(process, posix);
    }
}
