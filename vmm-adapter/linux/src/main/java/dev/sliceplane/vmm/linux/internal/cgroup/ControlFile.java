package dev.sliceplane.vmm.linux.internal.cgroup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A control file kept open and re-read from offset 0 (pread): the kernel regenerates a cgroup
 * file's content on every read from the start, and one pread costs about 1–1.5 µs where open,
 * read and close cost about 10 µs. Its numbers are parsed in place from the reading thread's one
 * buffer, so a read allocates nothing and touches no memory of its own beyond the channel: sampling
 * reads thousands of these every second, and at 1,000 slivers a buffer per file (a direct buffer
 * and its native block) was two more cache misses per read. Not for
 * {@code cgroup.procs}: on cgroup v1 its pid list is cached in the open file, so a pread at 0
 * returns the old list. When the process has no file descriptor to spare, the file is opened for
 * each read instead.
 */
final class ControlFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlFile.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private final Path path;
    private final boolean optional;
    private FileChannel channel;
    private boolean keepOpen = true;
    private boolean absent;
    /**
     * Each thread's buffer, which every control file it reads fills and parses before the next:
     * direct, so the JDK reads straight into it instead of through a temporary buffer and a copy.
     */
    private static final ThreadLocal<ByteBuffer[]> BUFFER = ThreadLocal.withInitial(
            () -> new ByteBuffer[] {ByteBuffer.allocateDirect(64)});

    /** @param optional a file older kernels lack; it then reads as 0 */
    ControlFile(Path path, boolean optional) {
        this.path = path;
        this.optional = optional;
    }

    /** The number the file holds (such as {@code memory.current}); 0 for an optional file the kernel lacks. */
    long number() {
        ByteBuffer[] holder = BUFFER.get();
        int length = fill(holder);
        if (length < 0) {
            return 0;
        }
        ByteBuffer buffer = holder[0];
        int at = 0;
        while (at < length && buffer.get(at) == ' ') {
            at++;
        }
        return digits(buffer, at, length);
    }

    /**
     * The number after {@code key} in a file of "key value" lines ({@code memory.events},
     * {@code pids.events}, {@code cpu.stat}, {@code memory.oom_control}); 0 when the key is
     * absent, or the file is optional and the kernel lacks it.
     */
    long keyed(byte[] key) {
        ByteBuffer[] holder = BUFFER.get();
        int length = fill(holder);
        ByteBuffer buffer = holder[0];
        int at = 0;
        while (at < length) {
            if (startsWith(buffer, at, length, key)) {
                return digits(buffer, at + key.length + 1, length);
            }
            while (at < length && buffer.get(at) != '\n') {
                at++;
            }
            at++;
        }
        return 0;
    }

    static byte[] key(String key) {
        return key.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(ByteBuffer buffer, int at, int length, byte[] key) {
        if (at + key.length >= length || buffer.get(at + key.length) != ' ') {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (buffer.get(at + i) != key[i]) {
                return false;
            }
        }
        return true;
    }

    private long digits(ByteBuffer buffer, int from, int length) {
        long value = 0;
        int at = from;
        while (at < length && buffer.get(at) >= '0' && buffer.get(at) <= '9') {
            value = value * 10 + (buffer.get(at) - '0');
            at++;
        }
        if (at == from || (at < length && buffer.get(at) != '\n')) {
            throw CgroupFiles.failure("unexpected content '" + text(buffer, length) + "' in " + path,
                    new IOException("not a number"));
        }
        return value;
    }

    private static String text(ByteBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.get(0, bytes);
        return new String(bytes, StandardCharsets.US_ASCII).trim();
    }

    /**
     * Reads the whole file into the thread's buffer ({@code holder[0]}, replaced by a larger one
     * when the file does not fit); its length, or -1 for an optional file the kernel lacks.
     */
    private int fill(ByteBuffer[] holder) {
        if (absent) {
            return -1;
        }
        if (channel == null && keepOpen) {
            try {
                channel = FileChannel.open(path);
            } catch (NoSuchFileException e) {
                if (optional) {
                    absent = true;
                    return -1;
                }
                throw CgroupFiles.failure("cannot read " + path, e);
            } catch (IOException e) {
                keepOpen = false;
                if (WARNED.compareAndSet(false, true)) {
                    LOG.warn("cannot keep cgroup files open ({}); sampling opens them on every read,"
                            + " which costs more: raise the open-file limit", e.toString());
                }
            }
        }
        try {
            if (channel != null) {
                return readAll(channel, holder);
            }
            try (FileChannel in = FileChannel.open(path)) {
                return readAll(in, holder);
            }
        } catch (NoSuchFileException e) {
            if (optional) {
                return -1;
            }
            throw CgroupFiles.failure("cannot read " + path, e);
        } catch (IOException e) {
            throw CgroupFiles.failure("cannot read " + path, e);
        }
    }

    private static int readAll(FileChannel in, ByteBuffer[] holder) throws IOException {
        while (true) {
            ByteBuffer buffer = holder[0];
            buffer.clear();
            int length = 0;
            int n;
            while ((n = in.read(buffer, length)) > 0) {
                length += n;
                if (buffer.hasRemaining()) {
                    return length; // a short read is the end of a kernfs file
                }
            }
            if (length < buffer.capacity()) {
                return length;
            }
            holder[0] = ByteBuffer.allocateDirect(buffer.capacity() * 4); // did not fit: read it again whole
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was written; nothing to lose
            }
            channel = null;
        }
    }
}
