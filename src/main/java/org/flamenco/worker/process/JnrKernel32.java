package org.flamenco.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntPredicate;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.byref.IntByReference;

/**
 * {@link WindowsApi} through jnr-ffi: every native Windows call of the worker is in this class. 64-bit Windows only
 * (the structure offsets below are those of x64 and arm64); {@link #load()} is empty anywhere else. Never run on
 * the build machine (Linux): see the README's platform table.
 */
final class JnrKernel32 implements WindowsApi {
    private static final int CREATE_SUSPENDED = 0x4;
    private static final int CREATE_NEW_PROCESS_GROUP = 0x200;
    private static final int CREATE_UNICODE_ENVIRONMENT = 0x400;
    private static final int STARTF_USESTDHANDLES = 0x100;
    private static final int HANDLE_FLAG_INHERIT = 0x1;
    private static final int GENERIC_READ = 0x80000000;
    private static final int FILE_SHARE_READ_WRITE = 0x3;
    private static final int OPEN_EXISTING = 3;
    private static final int JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9;
    private static final int JOB_OBJECT_BASIC_ACCOUNTING_INFORMATION = 1;
    private static final int JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000;
    private static final int ERROR_BROKEN_PIPE = 109;
    private static final int INFINITE = -1;
    private static final int WAIT_OBJECT_0 = 0;
    private static final long INVALID_HANDLE = -1L;
    /** sizeof(STARTUPINFOW), sizeof(PROCESS_INFORMATION), sizeof(SECURITY_ATTRIBUTES) on 64-bit Windows. */
    private static final int STARTUPINFO_SIZE = 104;
    private static final int PROCESS_INFORMATION_SIZE = 24;
    private static final int SECURITY_ATTRIBUTES_SIZE = 24;
    private static final int EXTENDED_LIMIT_SIZE = 144;
    private static final int ACCOUNTING_SIZE = 48;

    /** The kernel32 functions used; jnr-ffi implements the interface. */
    public interface Kernel32 {
        int CreatePipe(Pointer read, Pointer write, Pointer attributes, int size);

        int SetHandleInformation(Pointer handle, int mask, int flags);

        Pointer CreateFileW(byte[] name, int access, int share, Pointer attributes, int creation, int flags,
                            Pointer template);

        int CreateProcessW(byte[] application, byte[] commandLine, Pointer processAttributes,
                           Pointer threadAttributes, int inheritHandles, int flags, byte[] environment,
                           byte[] directory, Pointer startupInfo, Pointer processInformation);

        Pointer CreateJobObjectW(Pointer attributes, Pointer name);

        int SetInformationJobObject(Pointer job, int infoClass, Pointer info, int length);

        int QueryInformationJobObject(Pointer job, int infoClass, Pointer info, int length, Pointer returned);

        int AssignProcessToJobObject(Pointer job, Pointer process);

        int TerminateJobObject(Pointer job, int exitCode);

        int ResumeThread(Pointer thread);

        int ReadFile(Pointer file, byte[] buffer, int length, IntByReference read, Pointer overlapped);

        int WaitForSingleObject(Pointer handle, int milliseconds);

        int GetExitCodeProcess(Pointer process, IntByReference exitCode);

        int GenerateConsoleCtrlEvent(int event, int processGroup);

        int SetConsoleCtrlHandler(HandlerRoutine handler, int add);

        int CloseHandle(Pointer handle);
    }

    /** {@code PHANDLER_ROUTINE}. */
    public interface HandlerRoutine {
        @Delegate
        int invoke(int ctrlType);
    }

    private final Kernel32 k32;
    private final Runtime runtime;
    /** Held so that the native callback stays reachable as long as this object. */
    private volatile HandlerRoutine consoleHandler;

    private JnrKernel32(Kernel32 k32) {
        this.k32 = k32;
        this.runtime = Runtime.getRuntime(k32);
    }

    /** kernel32 on 64-bit Windows; empty elsewhere or when it does not load. */
    static Optional<WindowsApi> load() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            return Optional.empty();
        }
        try {
            Kernel32 k32 = LibraryLoader.create(Kernel32.class).option(LibraryOption.SaveError, true)
                    .failImmediately().load("kernel32");
            JnrKernel32 api = new JnrKernel32(k32);
            return api.runtime.addressSize() == 8 ? Optional.of(api) : Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    @Override
    public Created createSuspended(String application, String commandLine, String environmentBlock,
                                   String directory) throws IOException {
        Pointer inherit = Memory.allocateDirect(runtime, SECURITY_ATTRIBUTES_SIZE);
        inherit.putInt(0, SECURITY_ATTRIBUTES_SIZE);
        inherit.putInt(16, 1); // bInheritHandle
        Pointer ends = Memory.allocateDirect(runtime, 16);
        check(k32.CreatePipe(ends, ends.slice(8), inherit, 0), "CreatePipe");
        long read = ends.getAddress(0);
        long write = ends.getAddress(8);
        Pointer nul = k32.CreateFileW(wide("NUL"), GENERIC_READ, FILE_SHARE_READ_WRITE, inherit, OPEN_EXISTING, 0,
                null);
        try {
            if (nul == null || nul.address() == INVALID_HANDLE) {
                throw error("CreateFileW(NUL)");
            }
            check(k32.SetHandleInformation(handle(read), HANDLE_FLAG_INHERIT, 0), "SetHandleInformation");
            Pointer startup = Memory.allocateDirect(runtime, STARTUPINFO_SIZE);
            startup.putInt(0, STARTUPINFO_SIZE);
            startup.putInt(60, STARTF_USESTDHANDLES);
            startup.putAddress(80, nul.address());
            startup.putAddress(88, write);
            startup.putAddress(96, write);
            Pointer info = Memory.allocateDirect(runtime, PROCESS_INFORMATION_SIZE);
            int flags = CREATE_SUSPENDED | CREATE_NEW_PROCESS_GROUP | CREATE_UNICODE_ENVIRONMENT;
            check(k32.CreateProcessW(wide(application), wide(commandLine), null, null, 1, flags,
                    environmentBlock.getBytes(StandardCharsets.UTF_16LE), wide(directory), startup, info),
                    "CreateProcessW");
            return new Created(info.getInt(16) & 0xffffffffL, info.getAddress(0), info.getAddress(8), read);
        } catch (IOException e) {
            close(read);
            throw e;
        } finally {
            close(write);
            if (nul != null && nul.address() != INVALID_HANDLE) {
                close(nul.address());
            }
        }
    }

    @Override
    public long createKillOnCloseJob() throws IOException {
        Pointer job = k32.CreateJobObjectW(null, null);
        if (job == null || job.address() == 0) {
            throw error("CreateJobObjectW");
        }
        Pointer limits = Memory.allocateDirect(runtime, EXTENDED_LIMIT_SIZE);
        limits.putInt(16, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE); // BasicLimitInformation.LimitFlags
        if (k32.SetInformationJobObject(job, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION, limits, EXTENDED_LIMIT_SIZE)
                == 0) {
            IOException e = error("SetInformationJobObject");
            close(job.address());
            throw e;
        }
        return job.address();
    }

    @Override
    public void assignToJob(long job, long process) throws IOException {
        check(k32.AssignProcessToJobObject(handle(job), handle(process)), "AssignProcessToJobObject");
    }

    @Override
    public void resume(long thread) throws IOException {
        if (k32.ResumeThread(handle(thread)) == -1) {
            throw error("ResumeThread");
        }
    }

    @Override
    public int read(long pipe, byte[] buffer, int offset, int length) throws IOException {
        byte[] chunk = new byte[length];
        IntByReference count = new IntByReference();
        while (true) {
            if (k32.ReadFile(handle(pipe), chunk, length, count, null) == 0) {
                if (runtime.getLastError() == ERROR_BROKEN_PIPE) {
                    return -1; // every write end is closed: the end of the output
                }
                throw error("ReadFile");
            }
            int n = count.intValue();
            if (n > 0) {
                System.arraycopy(chunk, 0, buffer, offset, n);
                return n;
            }
        }
    }

    @Override
    public int awaitExit(long process) throws IOException {
        if (k32.WaitForSingleObject(handle(process), INFINITE) != WAIT_OBJECT_0) {
            throw error("WaitForSingleObject");
        }
        IntByReference code = new IntByReference();
        check(k32.GetExitCodeProcess(handle(process), code), "GetExitCodeProcess");
        return code.intValue();
    }

    @Override
    public boolean ctrlBreak(long processGroup) {
        return k32.GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, (int) processGroup) != 0;
    }

    @Override
    public void terminateJob(long job, int exitCode) {
        k32.TerminateJobObject(handle(job), exitCode);
    }

    @Override
    public int activeProcesses(long job) {
        Pointer info = Memory.allocateDirect(runtime, ACCOUNTING_SIZE);
        if (k32.QueryInformationJobObject(handle(job), JOB_OBJECT_BASIC_ACCOUNTING_INFORMATION, info,
                ACCOUNTING_SIZE, null) == 0) {
            return 0;
        }
        return info.getInt(40); // ActiveProcesses
    }

    @Override
    public void close(long handle) {
        k32.CloseHandle(handle(handle));
    }

    @Override
    public boolean onConsoleEvent(IntPredicate handler) {
        HandlerRoutine routine = ctrlType -> handler.test(ctrlType) ? 1 : 0;
        consoleHandler = routine;
        return k32.SetConsoleCtrlHandler(routine, 1) != 0;
    }

    private Pointer handle(long value) {
        return Pointer.wrap(runtime, value);
    }

    private void check(int result, String call) throws IOException {
        if (result == 0) {
            throw error(call);
        }
    }

    private IOException error(String call) {
        return new IOException(call + " failed with Windows error " + runtime.getLastError());
    }

    /** {@code text} as a NUL-terminated UTF-16LE string. */
    private static byte[] wide(String text) {
        return (text + "\0").getBytes(StandardCharsets.UTF_16LE);
    }
}
