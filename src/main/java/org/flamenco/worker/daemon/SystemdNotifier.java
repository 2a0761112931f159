package org.flamenco.worker.daemon;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sd_notify(3)} without libsystemd: sends {@code READY=1}, {@code STATUS=...}, {@code WATCHDOG=1},
 * {@code STOPPING=1} as datagrams to the Unix socket named by {@code NOTIFY_SOCKET} (a path, or {@code @name} for the
 * abstract namespace). The JDK cannot send to a Unix datagram socket, so this calls {@code socket(2)} and
 * {@code sendto(2)} of the C library through jnr-ffi (already here for jnr-posix). Linux only, as systemd is.
 *
 * <p>Thread-safe: each send is one non-blocking system call on a socket opened once. A failed send is logged once
 * and otherwise ignored: monitoring never stops the worker.
 */
final class SystemdNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SUN_PATH_MAX = 108;

    /** The C library calls this class makes. */
    public interface LibC {
        @SaveError
        int socket(int domain, int type, int protocol);

        @SaveError
        @ssize_t
        long sendto(int fd, @In byte[] buf, @size_t long len, int flags, @In byte[] address, int addressLength);

        int close(int fd);
    }

    private final LibC libc;
    private final Runtime runtime;
    private final byte[] address;
    private final String socketName;
    private final int fd;
    private volatile boolean failureLogged;

    private SystemdNotifier(LibC libc, byte[] address, String socketName, int fd) {
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
        this.address = address;
        this.socketName = socketName;
        this.fd = fd;
    }

    /**
     * The notifier for {@code NOTIFY_SOCKET} in {@code environment}; empty when it is unset or empty (not started by
     * systemd with {@code Type=notify}) or when the socket cannot be opened (logged).
     */
    static Optional<SystemdNotifier> fromEnvironment(Map<String, String> environment) {
        String name = environment.getOrDefault("NOTIFY_SOCKET", "");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> address = socketAddress(name);
        if (address.isEmpty()) {
            LOG.warn("NOTIFY_SOCKET={} is not a Unix socket path or @name of at most {} bytes; not notifying "
                    + "systemd", name, SUN_PATH_MAX - 1);
            return Optional.empty();
        }
        LibC libc = LibraryLoader.create(LibC.class).load("c");
        int fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            LOG.warn("Cannot open a socket to notify systemd (errno {}); not notifying",
                    LastError.getLastError(Runtime.getRuntime(libc)));
            return Optional.empty();
        }
        return Optional.of(new SystemdNotifier(libc, address.get(), name, fd));
    }

    /**
     * The watchdog interval systemd expects {@code WATCHDOG=1} within: {@code WATCHDOG_USEC}, when set and meant for
     * this process ({@code WATCHDOG_PID} unset or equal to our pid).
     */
    static Optional<Duration> watchdogInterval(Map<String, String> environment, long pid) {
        String usec = environment.getOrDefault("WATCHDOG_USEC", "");
        String forPid = environment.getOrDefault("WATCHDOG_PID", "");
        try {
            if (usec.isEmpty() || (!forPid.isEmpty() && Long.parseLong(forPid.strip()) != pid)) {
                return Optional.empty();
            }
            long micros = Long.parseLong(usec.strip());
            return micros > 0 ? Optional.of(Duration.ofNanos(micros * 1000)) : Optional.empty();
        } catch (NumberFormatException e) {
            LOG.warn("WATCHDOG_USEC={} / WATCHDOG_PID={} are not numbers; no watchdog pings", usec, forPid);
            return Optional.empty();
        }
    }

    /** {@code struct sockaddr_un} for a path or an {@code @abstract} name, trimmed to its used length. */
    static Optional<byte[]> socketAddress(String name) {
        boolean isAbstract = name.startsWith("@");
        if (!isAbstract && !name.startsWith("/")) {
            return Optional.empty();
        }
        byte[] path = name.getBytes(StandardCharsets.UTF_8);
        if (isAbstract) {
            path[0] = 0; // the abstract namespace: a leading NUL, no terminating one
        }
        int pathLength = isAbstract ? path.length : path.length + 1;
        if (pathLength > SUN_PATH_MAX) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.allocate(2 + pathLength).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX).put(path);
        return Optional.of(b.array());
    }

    /** Sends one notification (several {@code KEY=value} lines allowed); false when it could not be sent. */
    boolean send(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        long sent = libc.sendto(fd, bytes, bytes.length, MSG_DONTWAIT | MSG_NOSIGNAL, address, address.length);
        if (sent == bytes.length) {
            if (failureLogged) {
                failureLogged = false;
                LOG.info("Notifying systemd through {} works again", socketName);
            }
            return true;
        }
        if (!failureLogged) {
            failureLogged = true;
            LOG.warn("Cannot notify systemd through {} (errno {}); will keep trying quietly", socketName,
                    LastError.getLastError(runtime));
        }
        return false;
    }

    @Override
    public void close() {
        libc.close(fd);
    }

    @Override
    public String toString() {
        return "SystemdNotifier[" + Objects.toString(socketName) + "]";
    }
}
