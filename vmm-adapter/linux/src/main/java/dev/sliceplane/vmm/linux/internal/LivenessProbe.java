package dev.sliceplane.vmm.linux.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Whether one process is still there, for about 1 µs a look: its {@code /proc/<pid>/oom_score_adj}
 * kept open. The open file belongs to that process, not to its number, so a reused pid never
 * answers for it; once the process has been reaped every read fails with ESRCH. A zombie still
 * answers (it has exited but was not reaped yet): the process's parent reaps it at once, the
 * JVM for a supervisor it started and init for one it adopted.
 */
final class LivenessProbe implements AutoCloseable {

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(16);

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
            return new LivenessProbe(FileChannel.open(Path.of("/proc", Long.toString(pid), "oom_score_adj")));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Whether the process is still there (running, or exited and not yet reaped). */
    boolean alive() {
        try {
            buffer.clear();
            return channel.read(buffer, 0) > 0;
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
