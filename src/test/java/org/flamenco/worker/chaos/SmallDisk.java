package org.flamenco.worker.chaos;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs for the worker's queue, so a chaos run can fill the disk and free it again. Mounting needs root
 * (or CAP_SYS_ADMIN); {@link #mount} returns {@code null} when it is not possible and the run goes on without
 * disk-full faults.
 */
final class SmallDisk implements AutoCloseable {
    private final Path mountPoint;
    private final Path filler;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("filler");
    }

    /** Mounts a tmpfs of {@code megabytes} at {@code mountPoint}; {@code null} when that is not allowed here. */
    static SmallDisk mount(Path mountPoint, int megabytes) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        if (run(List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700", "tmpfs",
                mountPoint.toString())) != 0) {
            return null;
        }
        return new SmallDisk(mountPoint);
    }

    Path path() {
        return mountPoint;
    }

    /** Writes a file until the file system is full; returns the bytes written. */
    long fill() throws IOException {
        long written = 0;
        byte[] block = new byte[256 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException e) {
            if (written == 0 && !e.getMessage().contains("space")) {
                throw e;
            }
        }
        return written;
    }

    void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        free();
        run(List.of("umount", "-l", mountPoint.toString()));
    }

    private static int run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
