package dev.sliceplane.vmm.linux.internal.cgroup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A control file kept open and re-read from offset 0 (pread): the kernel regenerates a cgroup
 * file's content on every read from the start, and one pread costs about 1–2 µs where open, read
 * and close cost about 10 µs. Sampling reads seven per sliver every second. Not for
 * {@code cgroup.procs}: its task iterator does not start over on a pread at 0 (Linux 6.18 keeps
 * returning the old list), so it is opened afresh each time ({@code keepOpen} false). When the
 * process has no file descriptor to spare, files are read the ordinary way too.
 */
final class ControlFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlFile.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private final Path path;
    private final boolean optional;
    private FileChannel channel;
    private boolean keepOpen;
    private boolean absent;
    private byte[] buffer = new byte[128];

    /**
     * @param optional a file older kernels lack; reads of it then return {@code null}
     * @param keepOpen whether a pread at 0 gives fresh content (not so for {@code cgroup.procs})
     */
    ControlFile(Path path, boolean optional, boolean keepOpen) {
        this.path = path;
        this.optional = optional;
        this.keepOpen = keepOpen;
    }

    /** The content now, or {@code null} for an optional file the kernel does not have. */
    String read() {
        if (absent) {
            return null;
        }
        if (channel == null && keepOpen) {
            try {
                channel = FileChannel.open(path);
            } catch (NoSuchFileException e) {
                if (optional) {
                    absent = true;
                    return null;
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
        if (channel == null) {
            return optional ? CgroupFiles.readIfExists(path) : CgroupFiles.read(path);
        }
        try {
            int length = 0;
            while (true) {
                int n = channel.read(ByteBuffer.wrap(buffer, length, buffer.length - length), length);
                if (n < 0) {
                    break;
                }
                length += n;
                if (length < buffer.length) {
                    break; // a short read is the end of a kernfs file
                }
                buffer = Arrays.copyOf(buffer, buffer.length * 4);
            }
            return new String(buffer, 0, length, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw CgroupFiles.failure("cannot read " + path, e);
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
