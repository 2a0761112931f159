package org.flamenco.worker.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@link ProcessLauncher} for Windows: {@code CreateProcessW} through jnr-ffi ({@link WindowsApi}) creates the
 * child suspended, in a new process group ({@code CREATE_NEW_PROCESS_GROUP}), puts it in a Job Object of its own
 * with {@code JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE}, then lets it run: everything it starts is in the job before it
 * can run a single instruction, and when the worker dies the OS closes the job's handle and ends the whole tree.
 * TERM is {@code CTRL_BREAK_EVENT} to the group, KILL is {@code TerminateJobObject} ({@link WindowsChildProcess}).
 * The JDK cannot do this: it starts a child running and cannot set the process-group flag.
 *
 * <p>The program is found on {@code PATH} with the {@code PATHEXT} suffixes (a word with a directory part against
 * the working directory); a {@code .bat}/{@code .cmd} file runs through {@code %ComSpec%} with the arguments
 * {@code cmd.exe} cannot take safely refused ({@link WindowsCommandLine#batchLine}). Thread-safe.
 */
public final class WindowsProcessLauncher implements ProcessLauncher {
    private static final Pattern ABSOLUTE = Pattern.compile("([A-Za-z]:)?[\\\\/].*");
    private static final Pattern DIRECTORY_PART = Pattern.compile(".*[\\\\/].*|[A-Za-z]:.*");

    private final WindowsApi api;
    private final Map<String, String> environment;
    private final Predicate<String> isFile;

    WindowsProcessLauncher(WindowsApi api) {
        this(api, System.getenv(), name -> Files.isRegularFile(Path.of(name)));
    }

    /**
     * @param environment the worker's environment (Windows: names in any case)
     * @param isFile      whether a path names an existing file
     */
    WindowsProcessLauncher(WindowsApi api, Map<String, String> environment, Predicate<String> isFile) {
        this.api = Objects.requireNonNull(api, "api");
        this.environment = Map.copyOf(environment);
        this.isFile = Objects.requireNonNull(isFile, "isFile");
    }

    @Override
    public ChildProcess start(LaunchRequest request) throws IOException {
        String program = request.argv().get(0);
        String directory = request.workingDirectory().toString();
        if (!ABSOLUTE.matcher(directory).matches()) {
            directory = request.workingDirectory().toAbsolutePath().toString();
        }
        String executable = find(program, directory).orElseThrow(() -> new IOException("Cannot run program \""
                + program + "\": not found on PATH with the PATHEXT suffixes"));
        List<String> argv = new ArrayList<>(request.argv());
        argv.set(0, executable);
        String application = executable;
        String line;
        if (WindowsCommandLine.isBatchFile(executable)) {
            application = env("ComSpec").orElse("C:\\Windows\\System32\\cmd.exe");
            line = WindowsCommandLine.batchLine(application, argv);
        } else {
            line = WindowsCommandLine.join(argv);
        }
        Map<String, String> childEnv = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        childEnv.putAll(environment);
        childEnv.remove("LD_LIBRARY_PATH");
        request.removedEnvironment().forEach(childEnv::remove);
        WindowsApi.Created created = api.createSuspended(application, line,
                WindowsCommandLine.environmentBlock(childEnv), directory);
        return inJob(created, program);
    }

    /** Puts the suspended child in a kill-on-close job and lets it run; a child that cannot be is ended again. */
    private ChildProcess inJob(WindowsApi.Created created, String program) throws IOException {
        long job = 0;
        try {
            job = api.createKillOnCloseJob();
            api.assignToJob(job, created.process());
            api.resume(created.thread());
        } catch (IOException e) {
            if (job != 0) {
                api.close(job); // kill on close: ends the child if it was assigned already
            }
            api.close(created.thread());
            api.close(created.process());
            api.close(created.outputRead());
            throw new IOException("Cannot run program \"" + program + "\" in a Job Object (" + e.getMessage()
                    + "); process_launcher = portable runs it without one", e);
        }
        api.close(created.thread());
        return new WindowsChildProcess(api, created.pid(), created.process(), job, created.outputRead());
    }

    /**
     * The file {@code program} names: with a directory part, against the working directory; otherwise the first
     * match on {@code PATH}. A name without a suffix of its own is tried with each {@code PATHEXT} suffix.
     */
    Optional<String> find(String word, String workingDirectory) {
        if (word.isEmpty()) {
            return Optional.empty();
        }
        String program = word.replace('/', '\\');
        String directory = workingDirectory.replace('/', '\\');
        List<String> suffixes = WindowsCommandLine.executableSuffixes(env("PATHEXT").orElse(""));
        if (DIRECTORY_PART.matcher(program).matches()) {
            String base = ABSOLUTE.matcher(program).matches() ? program : join(directory, program);
            return firstFile(base, suffixes);
        }
        for (String dir : env("PATH").orElse("").split(";")) {
            if (!dir.isBlank()) {
                String entry = dir.strip().replace("\"", "").replace('/', '\\');
                Optional<String> found = firstFile(join(entry, program), suffixes);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> firstFile(String base, List<String> suffixes) {
        String name = base.substring(base.lastIndexOf('\\') + 1);
        if (name.contains(".") && isFile.test(base)) {
            return Optional.of(base);
        }
        return suffixes.stream().map(s -> base + s).filter(isFile).findFirst();
    }

    private static String join(String dir, String name) {
        return dir.endsWith("\\") ? dir + name : dir + "\\" + name;
    }

    /** A variable of the worker's environment; Windows names are case-insensitive. */
    private Optional<String> env(String name) {
        return environment.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst();
    }
}
