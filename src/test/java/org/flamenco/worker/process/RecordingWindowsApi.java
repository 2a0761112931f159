package org.flamenco.worker.process;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntPredicate;

/**
 * A {@link WindowsApi} that records its calls, for testing the Windows launcher's logic on any OS. Handles: process
 * 11, thread 12, output 13, job 14; pid 4242. The process "runs" until {@link #exit} and the job holds
 * {@link #active} processes.
 */
final class RecordingWindowsApi implements WindowsApi {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile String application;
    volatile String commandLine;
    volatile String environmentBlock;
    volatile String directory;
    volatile boolean failAssign;
    volatile int active = 1;
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile int exitCode;

    void exit(int code) {
        exitCode = code;
        exited.countDown();
    }

    @Override
    public Created createSuspended(String application, String commandLine, String environmentBlock,
                                   String directory) {
        calls.add("createSuspended");
        this.application = application;
        this.commandLine = commandLine;
        this.environmentBlock = environmentBlock;
        this.directory = directory;
        return new Created(4242, 11, 12, 13);
    }

    @Override
    public long createKillOnCloseJob() {
        calls.add("createKillOnCloseJob");
        return 14;
    }

    @Override
    public void assignToJob(long job, long process) throws IOException {
        calls.add("assignToJob " + job + " " + process);
        if (failAssign) {
            throw new IOException("AssignProcessToJobObject failed with Windows error 5");
        }
    }

    @Override
    public void resume(long thread) {
        calls.add("resume " + thread);
    }

    @Override
    public int read(long pipe, byte[] buffer, int offset, int length) {
        return -1;
    }

    @Override
    public int awaitExit(long process) throws IOException {
        try {
            exited.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return exitCode;
    }

    @Override
    public boolean ctrlBreak(long processGroup) {
        calls.add("ctrlBreak " + processGroup);
        return true;
    }

    @Override
    public void terminateJob(long job, int exitCode) {
        calls.add("terminateJob " + job + " " + exitCode);
    }

    @Override
    public int activeProcesses(long job) {
        return active;
    }

    @Override
    public void close(long handle) {
        calls.add("close " + handle);
    }

    @Override
    public boolean onConsoleEvent(IntPredicate handler) {
        return false;
    }
}
