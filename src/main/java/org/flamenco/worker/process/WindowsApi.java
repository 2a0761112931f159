package org.flamenco.worker.process;

import java.io.IOException;
import java.util.function.IntPredicate;

/**
 * The Windows (kernel32) calls the {@link LauncherKind#WINDOWS} launcher needs, behind a seam so that the launcher's
 * own logic is tested on any OS; {@link JnrKernel32} is the one implementation (jnr-ffi). Handles are plain
 * {@code long} values. Thread-safe; {@link #read} and {@link #awaitExit} block, everything else returns at once.
 */
interface WindowsApi {
    /** {@code CTRL_BREAK_EVENT}, also the number a console handler receives for Ctrl+Break. */
    int CTRL_BREAK_EVENT = 1;

    /**
     * A process created suspended in a new process group.
     *
     * @param pid        its id, also the id of its process group
     * @param process    its process handle
     * @param thread     its main thread's handle (to resume it)
     * @param outputRead the read end of the pipe its stdout and stderr go to
     */
    record Created(long pid, long process, long thread, long outputRead) {
    }

    /**
     * {@code CreateProcessW} with {@code CREATE_NEW_PROCESS_GROUP | CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT},
     * stdin the {@code NUL} device, stdout and stderr one new pipe.
     *
     * @param environmentBlock {@code K=V\0...\0} as built by {@link WindowsCommandLine#environmentBlock}
     * @throws IOException the OS refused; the message names its error code
     */
    Created createSuspended(String application, String commandLine, String environmentBlock, String directory)
            throws IOException;

    /** A new Job Object with {@code JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE}: closing its last handle ends its tree. */
    long createKillOnCloseJob() throws IOException;

    void assignToJob(long job, long process) throws IOException;

    void resume(long thread) throws IOException;

    /** Reads up to {@code length} bytes; -1 once every write end is closed. */
    int read(long pipe, byte[] buffer, int offset, int length) throws IOException;

    /** Blocks until the process ended; its exit code. */
    int awaitExit(long process) throws IOException;

    /** {@code GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, group)}; false when there is no console to send it through. */
    boolean ctrlBreak(long processGroup);

    void terminateJob(long job, int exitCode);

    /** How many processes of the job still run; 0 when that cannot be learned (e.g. the handle is closed). */
    int activeProcesses(long job);

    void close(long handle);

    /**
     * Registers {@code handler} for the console's control events ({@code SetConsoleCtrlHandler}); it receives the
     * event number and returns true when it handled the event. False when it could not be registered.
     */
    boolean onConsoleEvent(IntPredicate handler);
}
