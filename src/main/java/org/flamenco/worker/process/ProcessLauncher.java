package org.flamenco.worker.process;

import java.io.IOException;

/**
 * Starts child processes so that their whole tree can be stopped (commands.md §2.1): {@link PosixProcessLauncher}
 * in their own session and process group (Linux), {@link SpawnProcessLauncher} in their own process group (macOS,
 * any POSIX OS), {@link WindowsProcessLauncher} in their own process group and Job Object (Windows),
 * {@link PortableProcessLauncher} through {@link ProcessHandle} (any OS); {@link LauncherKind} chooses.
 *
 * <p>Contract: thread-safe; {@link #start} does not wait for the child. The returned {@link ChildProcess} is the
 * root of the tree its "group" methods act on (with the POSIX launcher: the leader of a fresh process group whose
 * id equals its pid). stdin is the null device, stderr is merged into stdout,
 * the environment is the worker's minus {@code LD_LIBRARY_PATH} and minus {@link LaunchRequest#removedEnvironment()},
 * and there is no shell: the argument list reaches the OS as is.
 */
public interface ProcessLauncher {
    /**
     * Starts {@code request.argv()}.
     *
     * @throws IOException the program cannot be started; the message is the OS reason
     */
    ChildProcess start(LaunchRequest request) throws IOException;
}
