package org.flamenco.worker.process;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import jnr.constants.platform.Fcntl;
import jnr.constants.platform.OpenFlags;
import jnr.posix.POSIX;
import jnr.posix.SpawnAttribute;
import jnr.posix.SpawnFileAction;

/**
 * {@link ProcessLauncher} for macOS (and any POSIX system with {@code posix_spawnp}; Linux runs it in the tests):
 * the child is started by {@code posix_spawnp(3)} through jnr-posix with {@code POSIX_SPAWN_SETPGROUP} and group 0,
 * so it leads a new process group from its first instruction without the {@code setsid} program, which stock macOS
 * lacks. TERM and KILL then go to the whole group ({@code kill(-pgid)}), as with {@link PosixProcessLauncher};
 * membership comes from {@code /proc} or, without it, from {@code ps} ({@link GroupMembers}).
 *
 * <p>The child is not a {@link Process}: its merged stdout + stderr is a pipe of ours (both ends close-on-exec, the
 * write end {@code dup2}'d onto fds 1 and 2 by spawn file actions), stdin is {@code /dev/null}, and a reaper thread
 * waits for it ({@link SpawnChildProcess}). posix_spawn has no portable "working directory" attribute, so the
 * program is reached through {@code /bin/sh -c 'cd -- "$1" && shift && exec "$@"'}: {@code exec} keeps the pid and
 * group. On macOS {@code POSIX_SPAWN_CLOEXEC_DEFAULT} closes every other descriptor of the worker in the child; on
 * other systems the descriptors open at the start are closed by file actions (one opened by another thread at that
 * very moment can leak into the child, as it would with {@code fork}). Not applied here: {@code oom_score_adjust}
 * (Linux only) and {@code subprocess_nice}. Thread-safe.
 */
public final class SpawnProcessLauncher implements ProcessLauncher {
    /** {@code POSIX_SPAWN_CLOEXEC_DEFAULT}, an Apple extension (spawn.h); other systems reject unknown flags. */
    static final short APPLE_CLOEXEC_DEFAULT = 0x4000;
    private static final String CD_SCRIPT = "cd -- \"$1\" || exit 127; shift; exec \"$@\"";
    private static final int FD_CLOEXEC = 1;

    private final POSIX posix;
    private final boolean apple;

    /** @param posix a native jnr-posix ({@link NativePosix#load()}) */
    public SpawnProcessLauncher(POSIX posix) {
        this.posix = Objects.requireNonNull(posix, "posix");
        this.apple = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac");
    }

    @Override
    public ChildProcess start(LaunchRequest request) throws IOException {
        String program = request.argv().get(0);
        Path executable = PosixProcessLauncher.findExecutable(program, request.workingDirectory())
                .orElseThrow(() -> new IOException("Cannot run program \"" + program
                        + "\": No such file or executable"));
        int[] pipe = new int[2];
        if (posix.pipe(pipe) != 0) {
            throw new IOException("Cannot run program \"" + program + "\": no pipe (errno " + posix.errno() + ")");
        }
        try {
            posix.fcntlInt(pipe[0], Fcntl.F_SETFD, FD_CLOEXEC);
            posix.fcntlInt(pipe[1], Fcntl.F_SETFD, FD_CLOEXEC);
            long pid = posix.posix_spawnp("/bin/sh", fileActions(pipe[1]), attributes(),
                    argv(request, executable), environment(request));
            if (pid <= 0) {
                throw new IOException("Cannot run program \"" + program + "\": posix_spawnp failed");
            }
            posix.close(pipe[1]);
            pipe[1] = -1;
            return new SpawnChildProcess(pid, openReadEnd(pipe[0]), posix);
        } finally {
            posix.close(pipe[0]); // the stream has its own descriptor of the read end
            if (pipe[1] >= 0) {
                posix.close(pipe[1]);
            }
        }
    }

    /** The read end as a stream with a descriptor of its own ({@code /dev/fd/N} duplicates it on Linux and macOS). */
    private static InputStream openReadEnd(int fd) throws IOException {
        return new FileInputStream("/dev/fd/" + fd);
    }

    private List<SpawnFileAction> fileActions(int writeEnd) throws IOException {
        List<SpawnFileAction> actions = new ArrayList<>();
        if (!apple) {
            for (int fd : OpenDescriptors.list()) {
                if (fd > 2 && fd != writeEnd) {
                    actions.add(SpawnFileAction.close(fd));
                }
            }
        }
        actions.add(SpawnFileAction.open("/dev/null", 0, OpenFlags.O_RDONLY.intValue(), 0));
        actions.add(SpawnFileAction.dup(writeEnd, 1));
        actions.add(SpawnFileAction.dup(writeEnd, 2));
        return actions;
    }

    private List<SpawnAttribute> attributes() {
        short flags = SpawnAttribute.SETPGROUP;
        if (apple) {
            flags |= APPLE_CLOEXEC_DEFAULT;
        }
        return List.of(SpawnAttribute.flags(flags), SpawnAttribute.pgroup(0));
    }

    static List<String> argv(LaunchRequest request, Path executable) {
        List<String> argv = new ArrayList<>(request.argv().size() + 5);
        argv.addAll(List.of("/bin/sh", "-c", CD_SCRIPT, "flamenco-worker-cd",
                request.workingDirectory().toAbsolutePath().toString(), executable.toString()));
        argv.addAll(request.argv().subList(1, request.argv().size()));
        return argv;
    }

    /** The worker's environment minus {@code LD_LIBRARY_PATH} and the request's removals, as {@code K=V}. */
    static List<String> environment(LaunchRequest request) {
        Map<String, String> env = new TreeMap<>(System.getenv());
        env.remove("LD_LIBRARY_PATH");
        request.removedEnvironment().forEach(env::remove);
        List<String> entries = new ArrayList<>(env.size());
        env.forEach((k, v) -> entries.add(k + "=" + v));
        return entries;
    }
}
