package org.flamenco.worker.process;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A child started by {@link WindowsProcessLauncher}: the leader of a new process group (group id == pid) and the
 * first member of a kill-on-close Job Object that holds everything it starts. TERM is {@code CTRL_BREAK_EVENT} to
 * the group (a console program's Ctrl+Break; a program without a console handler ends at once), KILL is
 * {@code TerminateJobObject}, and the group is alive while the job has active processes. Other signals have no
 * Windows form and are ignored. A daemon thread {@code fw-reaper-<pid>} waits for the leader's exit code. The job
 * and process handles are closed once the leader exited and the job is empty. Thread-safe.
 */
final class WindowsChildProcess implements ChildProcess {
    /** The exit code a process ended by {@link #signalGroup} KILL gets: 128 + SIGKILL, as a shell would show. */
    static final int KILLED_EXIT_CODE = 128 + ExitStatus.SIGKILL;

    private final WindowsApi api;
    private final long pid;
    private final long process;
    private final long job;
    private final InputStream output;
    private final ReaperExit exit;
    private boolean released;

    WindowsChildProcess(WindowsApi api, long pid, long process, long job, long outputRead) {
        this.api = api;
        this.pid = pid;
        this.process = process;
        this.job = job;
        this.output = new PipeInput(api, outputRead);
        this.exit = ReaperExit.start(pid, this::reap);
    }

    private ExitStatus reap() {
        try {
            return ExitStatus.fromJvmExitValue(api.awaitExit(process));
        } catch (IOException | RuntimeException e) {
            return new ExitStatus(-1, 0);
        }
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public InputStream output() {
        return output;
    }

    @Override
    public Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException {
        return exit.await(timeout);
    }

    @Override
    public synchronized boolean groupAlive() {
        if (released) {
            return false;
        }
        if (!exit.isDone() || api.activeProcesses(job) > 0) {
            return true;
        }
        released = true; // leader reaped and the job empty: nothing more to signal
        api.close(job);
        api.close(process);
        return false;
    }

    @Override
    public synchronized void signalGroup(int signal) {
        if (released) {
            return;
        }
        if (signal == ExitStatus.SIGKILL) {
            api.terminateJob(job, KILLED_EXIT_CODE);
        } else if (signal == ExitStatus.SIGTERM) {
            api.ctrlBreak(pid);
        }
    }

    @Override
    public List<ProcessHandle> descendants() {
        if (exit.isDone()) {
            return List.of(); // the rest of the tree is reached through the job
        }
        return ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants).filter(ProcessHandle::isAlive)
                .collect(Collectors.toList());
    }

    /** The read end of the output pipe as a stream; closing it closes the handle. */
    private static final class PipeInput extends InputStream {
        private final WindowsApi api;
        private final long handle;
        private boolean closed;

        PipeInput(WindowsApi api, long handle) {
            this.api = api;
            this.handle = handle;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            synchronized (this) {
                if (closed) {
                    return -1;
                }
            }
            return api.read(handle, buffer, offset, length);
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                api.close(handle);
            }
        }
    }
}
