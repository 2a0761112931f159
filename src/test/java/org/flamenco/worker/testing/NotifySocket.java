package org.flamenco.worker.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * What systemd does with {@code NOTIFY_SOCKET}: a real Unix datagram socket, bound to a path or an abstract name,
 * whose datagrams a reader thread collects ({@code fw-test-notify}). Close it after the test.
 */
public final class NotifySocket implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;

    /** The C library calls a receiving socket needs. */
    public interface LibC {
        int socket(int domain, int type, int protocol);

        int bind(int fd, @In byte[] address, int addressLength);

        int setsockopt(int fd, int level, int name, @In byte[] value, int length);

        @ssize_t
        long recv(int fd, @Out byte[] buf, @size_t long len, int flags);

        int close(int fd);
    }

    private final LibC libc = LibraryLoader.create(LibC.class).load("c");
    private final int fd;
    private final String name;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    private NotifySocket(String name) {
        this.name = name;
        fd = libc.socket(AF_UNIX, SOCK_DGRAM, 0);
        if (fd < 0) {
            throw new IllegalStateException("socket() failed");
        }
        byte[] address = address(name);
        if (libc.bind(fd, address, address.length) != 0) {
            libc.close(fd);
            throw new IllegalStateException("bind(" + name + ") failed");
        }
        byte[] timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(0).putLong(200_000).array();
        libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, timeout.length);
        reader = new Thread(this::read, "fw-test-notify");
        reader.setDaemon(true);
        reader.start();
    }

    /** Bound to a file in {@code dir}. */
    public static NotifySocket atPath(Path dir) {
        return new NotifySocket(dir.resolve("notify.sock").toAbsolutePath().toString());
    }

    /** Bound to an abstract name ({@code NOTIFY_SOCKET=@name}). */
    public static NotifySocket abstractNamed(String suffix) {
        return new NotifySocket("@flamenco-worker-test-" + ProcessHandle.current().pid() + "-" + suffix);
    }

    /** The value for {@code NOTIFY_SOCKET}. */
    public String name() {
        return name;
    }

    /** The datagrams received so far and not yet taken, oldest first. */
    public BlockingQueue<String> received() {
        return received;
    }

    /** Every datagram received so far. */
    public synchronized List<String> all() {
        return List.copyOf(all);
    }

    private void read() {
        byte[] buf = new byte[4096];
        while (!closed) {
            long n = libc.recv(fd, buf, buf.length, 0);
            if (n > 0) {
                String message = new String(buf, 0, (int) n, StandardCharsets.UTF_8);
                synchronized (this) {
                    all.add(message);
                }
                received.add(message);
            }
        }
    }

    private static byte[] address(String name) {
        byte[] path = name.getBytes(StandardCharsets.UTF_8);
        boolean isAbstract = name.startsWith("@");
        if (isAbstract) {
            path[0] = 0;
        }
        ByteBuffer b = ByteBuffer.allocate(2 + path.length + (isAbstract ? 0 : 1)).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX).put(path);
        return b.array();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        reader.join(2000);
        libc.close(fd);
    }
}
