package dev.sliceplane.vmm.linux.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Whether one process still runs, for one read of about 2 µs: its {@code /proc/<pid>/statm}
 * kept open. The open file belongs to that process, not to its number, so a reused pid never
 * answers for it. A process that has exited has no memory left: the file then reads all zeros
 * (a zombie, which a PID 1 that does not reap orphans may keep for ever), and fails with ESRCH
 * once the process is reaped.
 */
final class LivenessProbe implements AutoCloseable {

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(128);

    private LivenessProbe(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * A probe on the process with this pid now, or {@code null} when there is none.
     *
     * @throws IOException when the file cannot be opened for another reason (no descriptor to spare)
     */
    static LivenessProbe open(long pid) throws IOException {
        try {
            return new LivenessProbe(FileChannel.open(Path.of("/proc", Long.toString(pid), "statm")));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Whether the process still runs: not exited (a zombie has not) and not reaped. */
    boolean alive() {
        try {
            buffer.clear();
            // "size resident shared ..." in pages; a running process always has a size.
            return channel.read(buffer, 0) > 0 && buffer.get(0) != '0';
        } catch (IOException e) {
            return false; // ESRCH: reaped
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // read-only; nothing to lose
        }
    }
}
